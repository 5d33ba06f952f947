import { PARAMS_WGSL, STATE_WGSL } from './common.js';
import { GRID_SLOTS, GRID_WORDS } from './grid-common.js';

export const GRID_BOUNDS_WORKGROUP = 64;

/**
 * Broadphase, first pass: the bounding box of the finite positions and the largest radius, which
 * size the grid. Float atomics do not exist in WGSL, so floats are mapped to u32 keys that order
 * like the floats (flip all bits of negatives, set the sign bit of positives) and reduced with
 * u32 atomicMin/atomicMax: first within the workgroup, then once per workgroup globally.
 * `resetBounds` (one invocation) runs before it.
 */
export const GRID_BOUNDS_WGSL = /* wgsl */ `
${PARAMS_WGSL}
${STATE_WGSL}
// The grid words seen as atomics (grid-common.ts declares the same binding as plain u32).
@group(0) @binding(7) var<storage, read_write> gridAtomics: array<atomic<u32>, ${GRID_WORDS}>;

var<workgroup> localMin: array<atomic<u32>, 3>;
var<workgroup> localMax: array<atomic<u32>, 3>;
var<workgroup> localRadius: atomic<u32>;

fn orderedKey(f: f32) -> u32 {
  let b = bitcast<u32>(f);
  return select(b | 0x80000000u, ~b, (b & 0x80000000u) != 0u);
}

fn isFinite(f: f32) -> bool {
  return (bitcast<u32>(f) & 0x7f800000u) != 0x7f800000u;
}

@compute @workgroup_size(1)
fn resetBounds() {
  for (var k = 0u; k < 3u; k++) {
    atomicStore(&gridAtomics[${GRID_SLOTS.MIN}u + k], 0xffffffffu);
    atomicStore(&gridAtomics[${GRID_SLOTS.MAX}u + k], 0u);
  }
  atomicStore(&gridAtomics[${GRID_SLOTS.RADIUS}u], 0u);
}

@compute @workgroup_size(${GRID_BOUNDS_WORKGROUP})
fn reduceBounds(
  @builtin(global_invocation_id) id: vec3u,
  @builtin(local_invocation_index) lane: u32,
  @builtin(num_workgroups) groups: vec3u,
) {
  if (lane == 0u) {
    for (var k = 0u; k < 3u; k++) {
      atomicStore(&localMin[k], 0xffffffffu);
      atomicStore(&localMax[k], 0u);
    }
    atomicStore(&localRadius, 0u);
  }
  workgroupBarrier();
  let i = flatIndex(id, groups, ${GRID_BOUNDS_WORKGROUP}u);
  if (i < params.count) {
    let x = loadPosition(i);
    for (var k = 0u; k < 3u; k++) {
      if (isFinite(x[k])) {
        atomicMin(&localMin[k], orderedKey(x[k]));
        atomicMax(&localMax[k], orderedKey(x[k]));
      }
    }
    atomicMax(&localRadius, bitcast<u32>(radiusOf(i)));
  }
  workgroupBarrier();
  if (lane == 0u) {
    for (var k = 0u; k < 3u; k++) {
      atomicMin(&gridAtomics[${GRID_SLOTS.MIN}u + k], atomicLoad(&localMin[k]));
      atomicMax(&gridAtomics[${GRID_SLOTS.MAX}u + k], atomicLoad(&localMax[k]));
    }
    atomicMax(&gridAtomics[${GRID_SLOTS.RADIUS}u], atomicLoad(&localRadius));
  }
}
`;
