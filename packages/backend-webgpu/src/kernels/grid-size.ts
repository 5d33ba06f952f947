import { PARAMS_WGSL } from './common.js';
import { GRID_INFO_WGSL, GRID_SLOTS } from './grid-common.js';

/**
 * Broadphase, second pass (one invocation): the grid geometry from the bounding box and the
 * largest radius, computed on the GPU so that no step waits for a readback.
 *
 * Cells are at least 2·r_max wide (collisions) and at least the largest pair cutoff wide
 * (params.minCell), so every touching or interacting pair lies in neighbouring cells; with more
 * cells than `cellCapacity` (2·capacity + 8) the cells grow instead (same pair set, more
 * candidates per cell). Cell coordinates are computed in float32: fl(fl(x − origin)·fl(1/h)) errs
 * by at most 3u relative (u = 2⁻²⁴), so two particles' coordinates err in difference by at most
 * 6u·D, D the largest cells-per-axis. The cell is widened by 16u·D + 2⁻²⁰ over the size found,
 * which keeps any pair closer than 2·r_max (and any pair the float32 contact test accepts) at most
 * one cell apart however the rounding falls.
 *
 * In a periodic box the grid covers the box itself (cells wrap around, grid-common.ts).
 *
 * Fewer than two particles, or neither a positive radius nor a cutoff: zero cells, the contact
 * and pair kernels find no pairs.
 * A box that cannot be gridded (a diverging run's overflowing extent) gets a single cell, which
 * is always correct, just slow.
 */
export const GRID_SIZE_WGSL = /* wgsl */ `
${PARAMS_WGSL}
${GRID_INFO_WGSL}

fn fromOrderedKey(key: u32) -> f32 {
  return bitcast<f32>(select(~key, key & 0x7fffffffu, (key & 0x80000000u) != 0u));
}

fn finiteVec(v: vec3f) -> bool {
  let b = bitcast<vec3u>(v) & vec3u(0x7f800000u);
  return all(b != vec3u(0x7f800000u));
}

// Cells along each axis for cell size 1/inverse: the extent's span (+1, its far end belongs
// to a cell too), or in a periodic box the whole cells that fit (at least one; the last one
// takes the remainder).
fn cellsPerAxis(extent: vec3f, inverse: f32) -> vec3f {
  if (hasFlag(FLAG_PERIODIC)) {
    return max(floor(extent * inverse), vec3f(1.0));
  }
  return floor(extent * inverse) + 1.0;
}

@compute @workgroup_size(1)
fn sizeGrid() {
  let radius = bitcast<f32>(grid[${GRID_SLOTS.RADIUS}u]);
  // Collisions and soft contacts need cells of 2·r_max, pair forces cells of their cutoff (params.minCell).
  let need = max(select(0.0, 2.0 * radius, hasFlag(FLAG_COLLISIONS) || hasFlag(FLAG_CONTACTS)), params.minCell);
  if (params.count < 2u || !(need > 0.0)) {
    grid[${GRID_SLOTS.CELLS}u] = 0u;
    return;
  }
  var lo = vec3f(0.0);
  var hi = vec3f(0.0);
  if (hasFlag(FLAG_PERIODIC)) {
    lo = params.boxMin.xyz;
    hi = params.boxMax.xyz;
  } else {
    for (var k = 0u; k < 3u; k++) {
      // An axis with no finite coordinate keeps [0, 0]: every particle lands in a border cell.
      if (grid[${GRID_SLOTS.MIN}u + k] != 0xffffffffu) {
        lo[k] = fromOrderedKey(grid[${GRID_SLOTS.MIN}u + k]);
        hi[k] = fromOrderedKey(grid[${GRID_SLOTS.MAX}u + k]);
      }
    }
  }
  let extent = hi - lo;
  let capacity = f32(params.cellCapacity);
  var h = need;
  var dims = vec3f(1.0);
  var fits = false;
  for (var attempt = 0u; attempt < 128u; attempt++) {
    dims = cellsPerAxis(extent, 1.0 / h);
    let total = dims.x * dims.y * dims.z;
    if (total <= capacity) {
      fits = true;
      break;
    }
    h = h * max(1.25, pow(total / capacity, 1.0 / 3.0));
  }
  var inverse = 0.0;
  if (fits) {
    h = h * (1.0 + 16.0 * 5.9604645e-8 * max(dims.x, max(dims.y, dims.z)) + 9.5367432e-7);
    inverse = 1.0 / h;
    dims = cellsPerAxis(extent, inverse);
  }
  if (!fits || !finiteVec(dims) || !(inverse > 0.0)) {
    inverse = 0.0;
    dims = vec3f(1.0);
  }
  for (var k = 0u; k < 3u; k++) {
    grid[${GRID_SLOTS.ORIGIN}u + k] = bitcast<u32>(lo[k]);
    grid[${GRID_SLOTS.DIMS}u + k] = u32(dims[k]);
  }
  grid[${GRID_SLOTS.INV_CELL}u] = bitcast<u32>(inverse);
  grid[${GRID_SLOTS.CELLS}u] = u32(dims.x) * u32(dims.y) * u32(dims.z);
}
`;
