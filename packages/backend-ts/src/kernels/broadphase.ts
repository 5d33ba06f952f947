/**
 * Uniform-grid broadphase. Particles are counting-sorted by cell; a particle's contact candidates
 * are the particles of the 3×3×3 cells around its own. Because a cell is at least as wide as the
 * largest possible contact distance 2·r_max, every pair the brute-force test accepts lies in
 * neighbouring cells, and the grid yields exactly the brute-force pair set.
 */

/** Slots of the grid's parameter block (a Float64Array, so threads can share it). */
const MIN_X = 0, MIN_Y = 1, MIN_Z = 2, INV_H = 3, NX = 4, NY = 5, NZ = 6, CELLS = 7;
export const GRID_PARAMS = 8;

/**
 * The cell is widened by this relative margin over 2·r_max. Cell coordinates are computed as
 * floor((x − min)/h) in float64 with a relative rounding error near 2⁻⁵², i.e. below 2⁻²² cells for
 * any grid we build (≤ 2³⁰ cells per axis); the margin keeps two particles closer than 2·r_max
 * at most one cell apart whatever the rounding.
 */
const CELL_MARGIN = 1 + 2 ** -16;

/** Most cells a grid over `n` particles uses; huge, sparse boxes get coarser cells instead. */
export function cellCapacity(n: number): number {
  return 2 * n + 8;
}

/** Views a grid works on; backed by SharedArrayBuffers when threads share one grid. */
export interface GridStorage {
  /** GRID_PARAMS float64 values: box origin, 1/h, cells per axis, cell count (0 = no contacts). */
  params: Float64Array;
  /** cellStart[c] .. cellStart[c+1] index `order` for cell c; length ≥ cellCapacity(capacity) + 1. */
  cellStart: Int32Array;
  /** Particle indices sorted by cell, ascending within a cell. */
  order: Int32Array;
  /** Linear cell index of each particle (scratch for the sort). */
  cellOf: Int32Array;
}

/** Int32 elements a grid for `capacity` particles needs (see `gridFromInts`). */
export function gridInts(capacity: number): number {
  return cellCapacity(capacity) + 1 + 2 * capacity;
}

/** Splits one Int32Array of `gridInts(capacity)` elements and a params block into grid views. */
export function gridFromInts(ints: Int32Array, params: Float64Array, capacity: number): GridStorage {
  const cells = cellCapacity(capacity) + 1;
  return {
    params,
    cellStart: ints.subarray(0, cells),
    order: ints.subarray(cells, cells + capacity),
    cellOf: ints.subarray(cells + capacity, cells + 2 * capacity),
  };
}

export function allocateGrid(capacity: number): GridStorage {
  return gridFromInts(new Int32Array(gridInts(capacity)), new Float64Array(GRID_PARAMS), capacity);
}

/**
 * Sorts particles 0..n−1 into cells of size ≥ 2·r_max over their bounding box. Returns false (and
 * records zero cells) when no pair can touch: fewer than two particles, or every radius is 0.
 */
export function buildGrid(
  grid: GridStorage,
  px: Float32Array, py: Float32Array, pz: Float32Array, radius: Float32Array, n: number,
): boolean {
  const p = grid.params;
  let rMax = 0;
  for (let i = 0; i < n; i++) if (radius[i] > rMax) rMax = radius[i];
  if (n < 2 || rMax === 0) {
    p[CELLS] = 0;
    return false;
  }
  let minX = Infinity, minY = Infinity, minZ = Infinity, maxX = -Infinity, maxY = -Infinity, maxZ = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = px[i], y = py[i], z = pz[i];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
    if (z < minZ) minZ = z;
    if (z > maxZ) maxZ = z;
  }
  if (!Number.isFinite(maxX - minX + (maxY - minY) + (maxZ - minZ))) {
    // A diverging run (NaN/Inf born mid-call, reported after it) must not hang or crash the grid:
    // size it by the finite particles; cellCoordinate parks the others in border cells.
    [minX, maxX] = finiteRange(px, n);
    [minY, maxY] = finiteRange(py, n);
    [minZ, maxZ] = finiteRange(pz, n);
  }
  const cap = cellCapacity(n);
  let h = 2 * rMax * CELL_MARGIN;
  let invH = 1 / h, nx = 1, ny = 1, nz = 1;
  for (;;) {
    invH = 1 / h;
    // Same expression as a particle's cell coordinate, so the largest coordinate is inside.
    nx = Math.floor((maxX - minX) * invH) + 1;
    ny = Math.floor((maxY - minY) * invH) + 1;
    nz = Math.floor((maxZ - minZ) * invH) + 1;
    const total = nx * ny * nz;
    if (total <= cap) break;
    // Coarser cells are still ≥ 2·r_max wide, so the pair set is unchanged; only the cost per cell grows.
    h *= Math.max(1.25, Math.cbrt(total / cap));
  }
  const cells = nx * ny * nz;
  p[MIN_X] = minX; p[MIN_Y] = minY; p[MIN_Z] = minZ;
  p[INV_H] = invH; p[NX] = nx; p[NY] = ny; p[NZ] = nz; p[CELLS] = cells;

  // Counting sort by cell: count, prefix-sum into start offsets, then scatter in ascending
  // particle order so each cell lists its particles sorted (deterministic neighbour order).
  const { cellStart, order, cellOf } = grid;
  cellStart.fill(0, 0, cells + 1);
  for (let i = 0; i < n; i++) {
    const c = cellCoordinate(px[i], minX, invH, nx) + nx * (cellCoordinate(py[i], minY, invH, ny) + ny * cellCoordinate(pz[i], minZ, invH, nz));
    cellOf[i] = c;
    cellStart[c + 1]++;
  }
  for (let c = 0; c < cells; c++) cellStart[c + 1] += cellStart[c];
  // Scatter using cellStart[c] as cell c's cursor; afterwards it points at the start of cell c+1...
  for (let i = 0; i < n; i++) order[cellStart[cellOf[i]]++] = i;
  // ...so shifting the array up by one restores the start offsets.
  for (let c = cells; c > 0; c--) cellStart[c] = cellStart[c - 1];
  cellStart[0] = 0;
  return true;
}

/**
 * floor((x − min)/h) along one axis. For the finite coordinates the grid was sized by it is always
 * within 0..cells−1 (floor and the float ops are monotonic); anything else (NaN, ±Infinity) is
 * clamped into the grid instead of indexing outside it.
 */
function cellCoordinate(x: number, min: number, invH: number, cells: number): number {
  const c = Math.floor((x - min) * invH);
  return c >= 0 ? (c < cells ? c : cells - 1) : 0;
}

function finiteRange(values: Float32Array, n: number): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v - v !== 0) continue; // NaN or ±Infinity
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 0];
}

/** Whether the last `buildGrid` found any possible contact. */
export function gridHasContacts(grid: GridStorage): boolean {
  return grid.params[CELLS] > 0;
}

/**
 * Fills `ranges` with [from, to) slices of `grid.order` covering the 3×3×3 cells around the point
 * (x, y, z) (each row of three cells is contiguous in `order`); returns the number of slices (≤ 9).
 */
export function neighbourRanges(grid: GridStorage, x: number, y: number, z: number, ranges: Int32Array): number {
  const p = grid.params;
  const invH = p[INV_H], nx = p[NX], ny = p[NY], nz = p[NZ];
  const cx = cellCoordinate(x, p[MIN_X], invH, nx);
  const cy = cellCoordinate(y, p[MIN_Y], invH, ny);
  const cz = cellCoordinate(z, p[MIN_Z], invH, nz);
  const x0 = cx > 0 ? cx - 1 : 0, x1 = cx + 1 < nx ? cx + 1 : nx - 1;
  const y0 = cy > 0 ? cy - 1 : 0, y1 = cy + 1 < ny ? cy + 1 : ny - 1;
  const z0 = cz > 0 ? cz - 1 : 0, z1 = cz + 1 < nz ? cz + 1 : nz - 1;
  const start = grid.cellStart;
  let count = 0;
  for (let gz = z0; gz <= z1; gz++) {
    for (let gy = y0; gy <= y1; gy++) {
      const row = nx * (gy + ny * gz);
      const from = start[row + x0], to = start[row + x1 + 1];
      if (from < to) {
        ranges[count++] = from;
        ranges[count++] = to;
      }
    }
  }
  return count >> 1;
}

/** The contact test shared by the grid, the brute force and the collision kernel. */
export function touching(d2: number, rs: number): boolean {
  return d2 < rs * rs && d2 > 0;
}

/** Contact pairs (i < j, sorted) found through the grid. */
export function gridContactPairs(
  px: Float32Array, py: Float32Array, pz: Float32Array, radius: Float32Array, n = px.length,
): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  const grid = allocateGrid(n);
  if (!buildGrid(grid, px, py, pz, radius, n)) return pairs;
  const ranges = new Int32Array(18);
  const order = grid.order;
  for (let i = 0; i < n; i++) {
    const xi = px[i], yi = py[i], zi = pz[i], ri = radius[i];
    const slices = neighbourRanges(grid, xi, yi, zi, ranges);
    for (let s = 0; s < slices; s++) {
      for (let k = ranges[2 * s], end = ranges[2 * s + 1]; k < end; k++) {
        const j = order[k];
        if (j <= i) continue;
        const dx = px[j] - xi, dy = py[j] - yi, dz = pz[j] - zi;
        if (touching(dx * dx + dy * dy + dz * dz, ri + radius[j])) pairs.push([i, j]);
      }
    }
  }
  return pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** Contact pairs (i < j, sorted) by testing every pair: the definition the grid must match. */
export function bruteForceContactPairs(
  px: Float32Array, py: Float32Array, pz: Float32Array, radius: Float32Array, n = px.length,
): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = px[j] - px[i], dy = py[j] - py[i], dz = pz[j] - pz[i];
      if (touching(dx * dx + dy * dy + dz * dz, radius[i] + radius[j])) pairs.push([i, j]);
    }
  }
  return pairs;
}
