/**
 * Uniform-grid broadphase. Particles are counting-sorted by cell; a particle's contact candidates
 * are the particles of the 3×3×3 cells around its own. Because a cell is at least as wide as the
 * largest possible contact distance 2·r_max, every pair the brute-force test accepts lies in
 * neighbouring cells, and the grid yields exactly the brute-force pair set.
 *
 * In a periodic box the grid covers the box, cells wrap around its faces, and pairs are tested at
 * their nearest image (`d − L·round(d/L)`, as the brute force): an axis too short for 3 cells gets
 * one cell (every particle is then a candidate along it), so no cell is ever visited twice.
 */
import type { PeriodicBox } from '@brokenrecord/core';

/** Slots of the grid's parameter block (a Float64Array, so threads can share it). */
const MIN_X = 0,
  MIN_Y = 1,
  MIN_Z = 2,
  INV_H = 3,
  NX = 4,
  NY = 5,
  NZ = 6,
  CELLS = 7;
/** Periodic grids: 1 when periodic, cells per length on each axis, and the box lengths. */
const PERIODIC = 8,
  SCALE_X = 9,
  SCALE_Y = 10,
  SCALE_Z = 11,
  LEN_X = 12,
  LEN_Y = 13,
  LEN_Z = 14;
export const GRID_PARAMS = 16;

/** Most [from, to) slices `neighbourRanges` returns: 9 rows of cells, each split in two where it wraps. */
export const MAX_RANGES = 18;

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
  px: Float32Array,
  py: Float32Array,
  pz: Float32Array,
  radius: Float32Array,
  n: number,
  box: PeriodicBox | null = null,
): boolean {
  const p = grid.params;
  let rMax = 0;
  for (let i = 0; i < n; i++) if (radius[i] > rMax) rMax = radius[i];
  if (n < 2 || rMax === 0) {
    p[CELLS] = 0;
    return false;
  }
  if (box) return buildPeriodicGrid(grid, px, py, pz, n, 2 * rMax * CELL_MARGIN, box);
  p[PERIODIC] = 0;
  const [minX, maxX, minY, maxY, minZ, maxZ] = particleBounds(px, py, pz, n);
  const cap = cellCapacity(n);
  let h = 2 * rMax * CELL_MARGIN;
  let invH = 1 / h,
    nx = 1,
    ny = 1,
    nz = 1;
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
  p[MIN_X] = minX;
  p[MIN_Y] = minY;
  p[MIN_Z] = minZ;
  p[INV_H] = invH;
  p[NX] = nx;
  p[NY] = ny;
  p[NZ] = nz;
  p[CELLS] = cells;

  // Counting sort by cell: count, prefix-sum into start offsets, then scatter in ascending
  // particle order so each cell lists its particles sorted (deterministic neighbour order).
  const { cellStart, order, cellOf } = grid;
  cellStart.fill(0, 0, cells + 1);
  for (let i = 0; i < n; i++) {
    const c =
      cellCoordinate(px[i], minX, invH, nx) + nx * (cellCoordinate(py[i], minY, invH, ny) + ny * cellCoordinate(pz[i], minZ, invH, nz));
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

/** x wrapped into the box, as the periodic wrap after the drift computes it. */
function wrapped(x: number, lo: number, L: number): number {
  return x - L * Math.floor((x - lo) / L);
}

/** Cells along one periodic axis of length L for cell size ≥ h: 1 when 3 would not fit. */
function periodicCells(L: number, h: number): number {
  const c = Math.floor(L / h);
  return c >= 3 ? c : 1;
}

function buildPeriodicGrid(
  grid: GridStorage,
  px: Float32Array,
  py: Float32Array,
  pz: Float32Array,
  n: number,
  size: number,
  box: PeriodicBox,
): boolean {
  const p = grid.params;
  const [lx, ly, lz] = box.length;
  const cap = cellCapacity(n);
  let h = size,
    nx = 1,
    ny = 1,
    nz = 1;
  for (;;) {
    nx = periodicCells(lx, h);
    ny = periodicCells(ly, h);
    nz = periodicCells(lz, h);
    const total = nx * ny * nz;
    if (total <= cap) break;
    h *= Math.max(1.25, Math.cbrt(total / cap));
  }
  const cells = nx * ny * nz;
  const [minX, minY, minZ] = box.min;
  const sx = nx / lx,
    sy = ny / ly,
    sz = nz / lz;
  p[MIN_X] = minX;
  p[MIN_Y] = minY;
  p[MIN_Z] = minZ;
  p[NX] = nx;
  p[NY] = ny;
  p[NZ] = nz;
  p[CELLS] = cells;
  p[PERIODIC] = 1;
  p[SCALE_X] = sx;
  p[SCALE_Y] = sy;
  p[SCALE_Z] = sz;
  p[LEN_X] = lx;
  p[LEN_Y] = ly;
  p[LEN_Z] = lz;
  const { cellStart, order, cellOf } = grid;
  cellStart.fill(0, 0, cells + 1);
  for (let i = 0; i < n; i++) {
    const c =
      periodicCell(px[i], minX, lx, sx, nx) + nx * (periodicCell(py[i], minY, ly, sy, ny) + ny * periodicCell(pz[i], minZ, lz, sz, nz));
    cellOf[i] = c;
    cellStart[c + 1]++;
  }
  for (let c = 0; c < cells; c++) cellStart[c + 1] += cellStart[c];
  for (let i = 0; i < n; i++) order[cellStart[cellOf[i]]++] = i;
  for (let c = cells; c > 0; c--) cellStart[c] = cellStart[c - 1];
  cellStart[0] = 0;
  return true;
}

function periodicCell(x: number, lo: number, L: number, scale: number, cells: number): number {
  return cellCoordinate(wrapped(x, lo, L) - lo, 0, scale, cells);
}

/** Whether the last `buildGrid` was over a periodic box (pairs then use the nearest image). */
export function gridIsPeriodic(grid: GridStorage): boolean {
  return grid.params[PERIODIC] === 1;
}

/** The periodic box lengths of the last periodic `buildGrid`. */
export function gridBoxLength(grid: GridStorage): [number, number, number] {
  const p = grid.params;
  return [p[LEN_X], p[LEN_Y], p[LEN_Z]];
}

/**
 * floor((x − min)/h) along one axis. For the finite coordinates the grid was sized by it is always
 * within 0..cells−1 (floor and the float ops are monotonic); anything else (NaN, ±Infinity) is
 * clamped into the grid instead of indexing outside it.
 */
export function cellCoordinate(x: number, min: number, invH: number, cells: number): number {
  const c = Math.floor((x - min) * invH);
  return c >= 0 ? (c < cells ? c : cells - 1) : 0;
}

/**
 * [minX, maxX, minY, maxY, minZ, maxZ] of particles 0..n−1. A diverging run (NaN/Inf born
 * mid-call, reported after it) must not hang or crash a grid: then the bounds are those of the
 * finite particles, and cellCoordinate parks the others in border cells.
 */
export function particleBounds(
  px: Float32Array,
  py: Float32Array,
  pz: Float32Array,
  n: number,
): [number, number, number, number, number, number] {
  let minX = Infinity,
    minY = Infinity,
    minZ = Infinity,
    maxX = -Infinity,
    maxY = -Infinity,
    maxZ = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = px[i],
      y = py[i],
      z = pz[i];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
    if (z < minZ) minZ = z;
    if (z > maxZ) maxZ = z;
  }
  if (Number.isFinite(maxX - minX + (maxY - minY) + (maxZ - minZ))) return [minX, maxX, minY, maxY, minZ, maxZ];
  return [...finiteRange(px, n), ...finiteRange(py, n), ...finiteRange(pz, n)];
}

function finiteRange(values: Float32Array, n: number): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
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
 * (x, y, z) (each row of three cells is contiguous in `order`, unless it wraps around a periodic
 * box); returns the number of slices (≤ MAX_RANGES).
 */
export function neighbourRanges(grid: GridStorage, x: number, y: number, z: number, ranges: Int32Array): number {
  const p = grid.params;
  if (p[PERIODIC] === 1) return periodicRanges(grid, x, y, z, ranges);
  const invH = p[INV_H],
    nx = p[NX],
    ny = p[NY],
    nz = p[NZ];
  const cx = cellCoordinate(x, p[MIN_X], invH, nx);
  const cy = cellCoordinate(y, p[MIN_Y], invH, ny);
  const cz = cellCoordinate(z, p[MIN_Z], invH, nz);
  const x0 = cx > 0 ? cx - 1 : 0,
    x1 = cx + 1 < nx ? cx + 1 : nx - 1;
  const y0 = cy > 0 ? cy - 1 : 0,
    y1 = cy + 1 < ny ? cy + 1 : ny - 1;
  const z0 = cz > 0 ? cz - 1 : 0,
    z1 = cz + 1 < nz ? cz + 1 : nz - 1;
  const start = grid.cellStart;
  let count = 0;
  for (let gz = z0; gz <= z1; gz++) {
    for (let gy = y0; gy <= y1; gy++) {
      const row = nx * (gy + ny * gz);
      const from = start[row + x0],
        to = start[row + x1 + 1];
      if (from < to) {
        ranges[count++] = from;
        ranges[count++] = to;
      }
    }
  }
  return count >> 1;
}

function periodicRanges(grid: GridStorage, x: number, y: number, z: number, ranges: Int32Array): number {
  const p = grid.params;
  const nx = p[NX],
    ny = p[NY],
    nz = p[NZ];
  const cx = periodicCell(x, p[MIN_X], p[LEN_X], p[SCALE_X], nx);
  const cy = periodicCell(y, p[MIN_Y], p[LEN_Y], p[SCALE_Y], ny);
  const cz = periodicCell(z, p[MIN_Z], p[LEN_Z], p[SCALE_Z], nz);
  const start = grid.cellStart;
  let count = 0;
  const slice = (from: number, to: number) => {
    if (from < to) {
      ranges[count++] = from;
      ranges[count++] = to;
    }
  };
  // One cell along an axis of 1 cell; otherwise 3 distinct cells (an axis never has 2).
  const yFrom = ny === 1 ? 0 : -1,
    yTo = ny === 1 ? 0 : 1;
  const zFrom = nz === 1 ? 0 : -1,
    zTo = nz === 1 ? 0 : 1;
  for (let oz = zFrom; oz <= zTo; oz++) {
    const gz = (cz + oz + nz) % nz;
    for (let oy = yFrom; oy <= yTo; oy++) {
      const gy = (cy + oy + ny) % ny;
      const row = nx * (gy + ny * gz);
      if (nx === 1) slice(start[row], start[row + 1]);
      else if (cx === 0) {
        slice(start[row], start[row + 2]);
        slice(start[row + nx - 1], start[row + nx]);
      } else if (cx === nx - 1) {
        slice(start[row + nx - 2], start[row + nx]);
        slice(start[row], start[row + 1]);
      } else slice(start[row + cx - 1], start[row + cx + 2]);
    }
  }
  return count >> 1;
}

/** `d − L·round(d/L)`: the nearest image of a separation along an axis of length L. */
export function nearestImage(d: number, L: number): number {
  return d - L * Math.round(d / L);
}

/** The contact test shared by the grid, the brute force and the collision kernel. */
export function touching(d2: number, rs: number): boolean {
  return d2 < rs * rs && d2 > 0;
}

/** Contact pairs (i < j, sorted) found through the grid (nearest image in a periodic box). */
export function gridContactPairs(
  px: Float32Array,
  py: Float32Array,
  pz: Float32Array,
  radius: Float32Array,
  n = px.length,
  box: PeriodicBox | null = null,
): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  const grid = allocateGrid(n);
  if (!buildGrid(grid, px, py, pz, radius, n, box)) return pairs;
  const ranges = new Int32Array(2 * MAX_RANGES);
  const order = grid.order;
  const [lx, ly, lz] = box ? box.length : [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const xi = px[i],
      yi = py[i],
      zi = pz[i],
      ri = radius[i];
    const slices = neighbourRanges(grid, xi, yi, zi, ranges);
    for (let s = 0; s < slices; s++) {
      for (let k = ranges[2 * s], end = ranges[2 * s + 1]; k < end; k++) {
        const j = order[k];
        if (j <= i) continue;
        let dx = px[j] - xi,
          dy = py[j] - yi,
          dz = pz[j] - zi;
        if (box) {
          dx = nearestImage(dx, lx);
          dy = nearestImage(dy, ly);
          dz = nearestImage(dz, lz);
        }
        if (touching(dx * dx + dy * dy + dz * dz, ri + radius[j])) pairs.push([i, j]);
      }
    }
  }
  return pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** Contact pairs (i < j, sorted) by testing every pair (nearest image when periodic): the definition the grid must match. */
export function bruteForceContactPairs(
  px: Float32Array,
  py: Float32Array,
  pz: Float32Array,
  radius: Float32Array,
  n = px.length,
  box: PeriodicBox | null = null,
): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let dx = px[j] - px[i],
        dy = py[j] - py[i],
        dz = pz[j] - pz[i];
      if (box) {
        dx = nearestImage(dx, box.length[0]);
        dy = nearestImage(dy, box.length[1]);
        dz = nearestImage(dz, box.length[2]);
      }
      if (touching(dx * dx + dy * dy + dz * dz, radius[i] + radius[j])) pairs.push([i, j]);
    }
  }
  return pairs;
}
