/**
 * The cell grid of cutoff pair forces: cells at least as wide as the largest cutoff, particles
 * counting-sorted by cell, and a packed float64 copy of what the pair loop reads in that order,
 * so a cell's neighbours are contiguous in memory. The loop (generated, or interpreted) visits
 * each cell's own pairs and 13 of its 26 neighbour cells (a half shell: every pair of cells once).
 *
 * In a periodic box the grid covers the box exactly (at least 3 cells per axis, so a cell's
 * neighbours are 26 distinct cells) and each neighbour cell across a face of the box carries the
 * shift ±L that makes its particles the images nearest to the cell: a pair closer than the cutoff
 * (≤ L/3 here) is then seen once, at its nearest image. A box too small for 3 cells per axis falls
 * back to all pairs with the nearest image taken per pair.
 */
import type { PeriodicBox } from '@brokenrecord/core';
import type { PairScratch, Workspace } from '../workspace.js';
import { cellCapacity, cellCoordinate, particleBounds } from './broadphase.js';

/** Slots of the grid's parameter block. */
export const NX = 0,
  NY = 1,
  NZ = 2,
  CELLS = 3,
  MIN_X = 4,
  MIN_Y = 5,
  MIN_Z = 6,
  SCALE_X = 7,
  SCALE_Y = 8,
  SCALE_Z = 9;
export const PAIR_GRID_PARAMS = 16;

/** Cells are widened by this relative margin over the cutoff (see broadphase.ts CELL_MARGIN). */
const CELL_MARGIN = 1 + 2 ** -16;

/** Int32 elements of the grid storage: cell starts, order, slotOf, cellOf. */
export function pairGridInts(capacity: number): number {
  return cellCapacity(capacity) + 1 + 3 * capacity;
}

/**
 * The 14 cell offsets of the half shell, self first: (dx, dy, dz) with dz > 0, or dz = 0 and
 * dy > 0, or dz = dy = 0 and dx > 0. Every unordered pair of neighbouring cells appears once.
 */
export const HALF_SHELL: readonly number[] = (() => {
  const out = [0, 0, 0];
  for (let dz = -1; dz <= 1; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) if (dz > 0 || (dz === 0 && (dy > 0 || (dy === 0 && dx > 0)))) out.push(dx, dy, dz);
  return out;
})();

/**
 * Cells per axis of a periodic grid for `n` particles and pair reach `reach`, or null when some
 * axis would get fewer than 3 (the all-pairs fallback). A function of the box, the reach and n
 * only, so every thread computes the same answer without waiting for the leader.
 */
export function periodicShape(box: PeriodicBox, reach: number, n: number): [number, number, number] | null {
  const cap = cellCapacity(n);
  let h = reach * CELL_MARGIN;
  for (;;) {
    const [lx, ly, lz] = box.length;
    const nx = Math.floor(lx / h),
      ny = Math.floor(ly / h),
      nz = Math.floor(lz / h);
    if (nx < 3 || ny < 3 || nz < 3) return null;
    const total = nx * ny * nz;
    if (total <= cap) return [nx, ny, nz];
    // Coarser cells (still ≥ the reach) keep the pair set; only the cost per cell grows.
    h *= Math.max(1.25, Math.cbrt(total / cap));
  }
}

/** x wrapped into [lo, lo + L] (the upper end only by rounding), as the periodic wrap computes it. */
function wrap(x: number, lo: number, L: number): number {
  return x - L * Math.floor((x - lo) / L);
}

/**
 * Sorts particles 0..n−1 into cells for pairs closer than `reach`; one thread does this, the others
 * wait at a barrier. Periodic: `shape` from periodicShape (non-null). Returns the number of cells.
 */
export function buildPairGrid(
  ps: PairScratch,
  ws: Workspace,
  reach: number,
  box: PeriodicBox | null,
  shape: [number, number, number] | null,
): number {
  const { px, py, pz } = ws;
  const n = ws.count;
  const p = ps.params;
  let minX: number, minY: number, minZ: number, nx: number, ny: number, nz: number, sx: number, sy: number, sz: number;
  if (box) {
    [nx, ny, nz] = shape!;
    [minX, minY, minZ] = box.min;
    sx = nx / box.length[0];
    sy = ny / box.length[1];
    sz = nz / box.length[2];
  } else {
    let maxX: number, maxY: number, maxZ: number;
    [minX, maxX, minY, maxY, minZ, maxZ] = particleBounds(px, py, pz, n);
    const cap = cellCapacity(n);
    let h = reach * CELL_MARGIN;
    for (;;) {
      nx = Math.floor((maxX - minX) / h) + 1;
      ny = Math.floor((maxY - minY) / h) + 1;
      nz = Math.floor((maxZ - minZ) / h) + 1;
      const total = nx * ny * nz;
      if (total <= cap) break;
      h *= Math.max(1.25, Math.cbrt(total / cap));
    }
    sx = sy = sz = 1 / h;
  }
  const cells = nx * ny * nz;
  p[NX] = nx;
  p[NY] = ny;
  p[NZ] = nz;
  p[CELLS] = cells;
  p[MIN_X] = minX;
  p[MIN_Y] = minY;
  p[MIN_Z] = minZ;
  p[SCALE_X] = sx;
  p[SCALE_Y] = sy;
  p[SCALE_Z] = sz;
  const { cellStart, order, slotOf, cellOf } = ps;
  cellStart.fill(0, 0, cells + 1);
  for (let i = 0; i < n; i++) {
    let x = px[i],
      y = py[i],
      z = pz[i];
    if (box) {
      x = wrap(x, minX, box.length[0]);
      y = wrap(y, minY, box.length[1]);
      z = wrap(z, minZ, box.length[2]);
    }
    const c = cellCoordinate(x, minX, sx, nx) + nx * (cellCoordinate(y, minY, sy, ny) + ny * cellCoordinate(z, minZ, sz, nz));
    cellOf[i] = c;
    cellStart[c + 1]++;
  }
  for (let c = 0; c < cells; c++) cellStart[c + 1] += cellStart[c];
  for (let i = 0; i < n; i++) {
    const slot = cellStart[cellOf[i]]++;
    order[slot] = i;
    slotOf[i] = slot;
  }
  for (let c = cells; c > 0; c--) cellStart[c] = cellStart[c - 1];
  cellStart[0] = 0;
  return cells;
}

/** Reads one per-particle value the pair terms use: 'm', 'radius' or an attribute column. */
export function packedColumn(ws: Workspace, base: string): Float32Array {
  if (base === 'm') return ws.mass;
  if (base === 'radius') return ws.radius;
  const col = ws.attributes[base];
  if (!col) throw new Error(`attribute column '${base}' is not in the workspace`);
  return col;
}

/**
 * Fills grid slots lo..hi−1 of the packed copy: x y z (wrapped into a periodic box, so the cell
 * shifts give the nearest images) then the `packed` values. Threads split the slots.
 */
export function packGrid(
  ps: PairScratch,
  ws: Workspace,
  packed: readonly string[],
  stride: number,
  box: PeriodicBox | null,
  lo: number,
  hi: number,
): void {
  const { px, py, pz } = ws;
  const out = ps.gridPack;
  const order = ps.order;
  const cols = packed.map((b) => packedColumn(ws, b));
  const [lx, ly, lz] = box ? box.length : [0, 0, 0];
  const [mx, my, mz] = box ? box.min : [0, 0, 0];
  for (let slot = lo; slot < hi; slot++) {
    const i = order[slot];
    const k = stride * slot;
    if (box) {
      out[k] = wrap(px[i], mx, lx);
      out[k + 1] = wrap(py[i], my, ly);
      out[k + 2] = wrap(pz[i], mz, lz);
    } else {
      out[k] = px[i];
      out[k + 1] = py[i];
      out[k + 2] = pz[i];
    }
    for (let c = 0; c < cols.length; c++) out[k + 3 + c] = cols[c][i];
  }
}

/** Fills particles lo..hi−1 of the row loops' packed copy (particle order, positions as stored). */
export function packRows(ps: PairScratch, ws: Workspace, packed: readonly string[], stride: number, lo: number, hi: number): void {
  const { px, py, pz } = ws;
  const out = ps.rowPack;
  const cols = packed.map((b) => packedColumn(ws, b));
  for (let i = lo; i < hi; i++) {
    const k = stride * i;
    out[k] = px[i];
    out[k + 1] = py[i];
    out[k + 2] = pz[i];
    for (let c = 0; c < cols.length; c++) out[k + 3 + c] = cols[c][i];
  }
}

/** First cell of thread `rank`'s share: cells split where the slots reach rank·n/parties. */
export function cellBound(ps: PairScratch, rank: number, parties: number, n: number): number {
  const cells = ps.params[CELLS];
  if (rank <= 0) return 0;
  if (rank >= parties) return cells;
  const target = Math.floor((rank * n) / parties);
  const start = ps.cellStart;
  let lo = 0,
    hi = cells;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (start[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * First row of thread `rank`'s share of the triangle i < j < n: rows split so each thread gets
 * about the same number of pairs (row i has n − 1 − i).
 */
export function rowBound(rank: number, parties: number, n: number): number {
  if (rank <= 0) return 0;
  if (rank >= parties) return n;
  return Math.min(n, Math.max(0, Math.round(n - n * Math.sqrt(1 - rank / parties))));
}
