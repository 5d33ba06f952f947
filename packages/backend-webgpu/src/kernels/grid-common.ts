/**
 * WGSL shared by the uniform-grid broadphase kernels (grid-*.ts, scan.ts, collisions.ts).
 *
 * Buffers:
 * - `cells` (u32): [0, E) per-cell counts, later the scatter cursors; [E, 2E) the exclusive
 *   prefix sum = each cell's first slot in `order` (E = params.cellEntries = cell capacity + 1,
 *   so start[cells] is the particle count); then the scan's block sums, level after level.
 * - `particleCells` (u32): [0, capacity) `order`, particle indices sorted by cell; then
 *   [capacity, 2·capacity) the cell of each particle.
 * - `grid` (u32): the bounding-box atomics and the grid geometry, slots below.
 */
export const GRID_SLOTS = {
  MIN: 0, // 3 slots: order-preserving bits of the smallest finite x, y, z
  MAX: 3, // 3 slots: the largest
  RADIUS: 6, // bits of the largest radius (non-negative floats order like their bits)
  UNRESOLVED: 7, // steps whose collisions reached the sweep limit (kernels/collisions.ts); never reset by the grid
  ORIGIN: 8, // 3 slots: f32 bits of the grid origin
  INV_CELL: 11, // f32 bits of 1 / cell size (0: everything in one cell)
  DIMS: 12, // 3 slots: cells per axis
  CELLS: 15, // cell count; 0 when no pair can touch
} as const;
export const GRID_WORDS = 16;

export const GRID_BUFFERS_WGSL = /* wgsl */ `
@group(0) @binding(5) var<storage, read_write> cells: array<u32>;
@group(0) @binding(6) var<storage, read_write> particleCells: array<u32>;
`;

export const GRID_INFO_WGSL = /* wgsl */ `
@group(0) @binding(7) var<storage, read_write> grid: array<u32, ${GRID_WORDS}>;

fn gridOrigin() -> vec3f {
  return vec3f(bitcast<f32>(grid[${GRID_SLOTS.ORIGIN}u]), bitcast<f32>(grid[${GRID_SLOTS.ORIGIN + 1}u]), bitcast<f32>(grid[${GRID_SLOTS.ORIGIN + 2}u]));
}
fn gridDims() -> vec3u {
  return vec3u(grid[${GRID_SLOTS.DIMS}u], grid[${GRID_SLOTS.DIMS + 1}u], grid[${GRID_SLOTS.DIMS + 2}u]);
}
fn gridCellCount() -> u32 {
  return grid[${GRID_SLOTS.CELLS}u];
}

// floor((x − origin) / h) per axis, clamped into the grid. NaN fails every comparison and lands
// in cell 0, ±Infinity in a border cell: a diverging run must not index outside the grid (the
// divergence itself is reported after the step). In a periodic box the position is wrapped
// first (a state written from outside may not be wrapped yet), and the last cell of an axis takes
// the remainder of the box, so every cell is at least h wide.
fn cellCoordinates(x: vec3f) -> vec3u {
  var p = x;
  if (hasFlag(FLAG_PERIODIC)) {
    p = wrapPeriodic(x);
  }
  let t = (p - gridOrigin()) * bitcast<f32>(grid[${GRID_SLOTS.INV_CELL}u]);
  let dims = gridDims();
  var c = vec3u(0u);
  for (var k = 0u; k < 3u; k++) {
    if (t[k] >= 1.0) {
      c[k] = u32(min(t[k], f32(dims[k] - 1u)));
    }
  }
  return c;
}

// The cells within \`reach\` of coordinate c on an axis of n cells, as (first, count): at most
// 2·reach + 1, taken modulo n in a periodic box (where fewer cells than that are each visited
// once), clipped at the border otherwise.
fn neighbourSpanWithin(c: u32, n: u32, reach: u32) -> vec2u {
  let width = 2u * reach + 1u;
  if (hasFlag(FLAG_PERIODIC)) {
    if (n >= width) {
      return vec2u((c + n - reach) % n, width);
    }
    return vec2u(0u, n);
  }
  let lo = select(c - reach, 0u, c < reach);
  let hi = min(c + reach, n - 1u);
  return vec2u(lo, hi - lo + 1u);
}

// The 3 cells around c (cells at least as wide as the largest interaction).
fn neighbourSpan(c: u32, n: u32) -> vec2u {
  return neighbourSpanWithin(c, n, 1u);
}

// A span of cells along x as at most two runs of consecutive cells [start, end): the second is
// the part that wrapped past the last cell (empty without wrap). Consecutive cells of a row are
// one contiguous slice of the cell-sorted particles.
fn rowRuns(span: vec2u, n: u32) -> vec4u {
  let end = span.x + span.y;
  if (end <= n) {
    return vec4u(span.x, end, 0u, 0u);
  }
  return vec4u(span.x, n, 0u, end - n);
}

fn cellIndex(c: vec3u) -> u32 {
  let dims = gridDims();
  return c.x + dims.x * (c.y + dims.y * c.z);
}
`;
