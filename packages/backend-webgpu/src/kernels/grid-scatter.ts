import { PARAMS_WGSL } from './common.js';
import { GRID_INFO_WGSL } from './grid-common.js';

export const GRID_SCATTER_WORKGROUP = 64;

/**
 * Broadphase, counting-sort pass two: each particle takes the next slot of its cell
 * (`scatterParticles`, atomic cursors), then each cell sorts its own slots by particle index
 * (`sortCells`, insertion sort). The atomics hand out slots in whatever order the invocations
 * arrive; sorting makes the neighbour order, hence the order in which the contact kernel sums a
 * particle's impulses, the same on every run. A cell's sort costs what scanning it for contacts
 * costs anyway (quadratic in its occupancy).
 */
export const GRID_SCATTER_WGSL = /* wgsl */ `
${PARAMS_WGSL}
${GRID_INFO_WGSL}
@group(0) @binding(5) var<storage, read_write> cursors: array<atomic<u32>>;
@group(0) @binding(6) var<storage, read_write> particleCells: array<u32>;

@compute @workgroup_size(${GRID_SCATTER_WORKGROUP})
fn scatterParticles(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = flatIndex(id, groups, ${GRID_SCATTER_WORKGROUP}u);
  if (i >= params.count || gridCellCount() == 0u) {
    return;
  }
  let slot = atomicAdd(&cursors[particleCells[params.capacity + i]], 1u);
  particleCells[slot] = i;
}
`;

/** Separate module: `cells` is read as plain u32 here (start offsets), not as atomics. */
export const GRID_SORT_WGSL = /* wgsl */ `
${PARAMS_WGSL}
${GRID_INFO_WGSL}
@group(0) @binding(5) var<storage, read_write> cells: array<u32>;
@group(0) @binding(6) var<storage, read_write> particleCells: array<u32>;

@compute @workgroup_size(${GRID_SCATTER_WORKGROUP})
fn sortCells(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let c = flatIndex(id, groups, ${GRID_SCATTER_WORKGROUP}u);
  if (c >= gridCellCount()) {
    return;
  }
  let start = cells[params.cellEntries + c];
  let end = cells[params.cellEntries + c + 1u];
  for (var k = start + 1u; k < end; k++) {
    let value = particleCells[k];
    var slot = k;
    while (slot > start && particleCells[slot - 1u] > value) {
      particleCells[slot] = particleCells[slot - 1u];
      slot = slot - 1u;
    }
    particleCells[slot] = value;
  }
}
`;
