import type { Workspace } from '../workspace.js';
import { gridBoxLength, gridIsPeriodic, MAX_RANGES, nearestImage, neighbourRanges, touching, type GridStorage } from './broadphase.js';

/** Doubles per particle in the sorted copy: x y z r vx vy vz m. */
const STRIDE = 8;

/**
 * This thread's copy of every particle in grid order (interleaved float64): the particles of one
 * row of cells are then contiguous in memory, where the columns would scatter every neighbour
 * read across eight arrays. Widening float32 to float64 is exact, so the arithmetic is unchanged.
 */
let sorted = new Float64Array(0);

function sortByCell(ws: Workspace, grid: GridStorage): Float64Array {
  const n = ws.count;
  if (sorted.length < STRIDE * n) sorted = new Float64Array(STRIDE * Math.max(n, Math.ceil((sorted.length / STRIDE) * 1.5)));
  const { px, py, pz, vx, vy, vz, mass, radius } = ws;
  const order = grid.order;
  for (let slot = 0, k = 0; slot < n; slot++, k += STRIDE) {
    const j = order[slot];
    sorted[k] = px[j];
    sorted[k + 1] = py[j];
    sorted[k + 2] = pz[j];
    sorted[k + 3] = radius[j];
    sorted[k + 4] = vx[j];
    sorted[k + 5] = vy[j];
    sorted[k + 6] = vz[j];
    sorted[k + 7] = mass[j];
  }
  return sorted;
}

/**
 * collisions, first half (Jacobi): the velocity change Δv from every contact, computed from the
 * velocities as they are now (nothing is applied until `applyImpulses`), for the particles in
 * grid slots lo..hi−1 (`grid.order[lo..hi)`: any partition of the slots among threads covers each
 * particle once). Walking in grid order keeps consecutive particles' neighbourhoods in cache.
 * Each pair is evaluated from both sides; the impulse J comes out bit-identical from either side
 * (d, n and the relative velocity only change sign), so momentum is kept up to the final
 * additions. Neighbours are visited in grid order, whatever the thread split. Requires the grid
 * built from the current positions.
 */
export function collisionImpulses(ws: Workspace, restitution: number, lo: number, hi: number): void {
  if (lo >= hi) return;
  if (gridIsPeriodic(ws.grid)) {
    periodicImpulses(ws, restitution, lo, hi);
    return;
  }
  const { dvx, dvy, dvz, grid } = ws;
  const p = sortByCell(ws, grid);
  const order = grid.order;
  const ranges = RANGES;
  const bounce = 1 + restitution;
  for (let slot = lo; slot < hi; slot++) {
    const i = order[slot];
    const self = STRIDE * slot;
    const xi = p[self],
      yi = p[self + 1],
      zi = p[self + 2],
      ri = p[self + 3];
    const ui = p[self + 4],
      vi = p[self + 5],
      wi = p[self + 6],
      mi = p[self + 7];
    const invMi = 1 / mi;
    let sx = 0,
      sy = 0,
      sz = 0;
    const slices = neighbourRanges(grid, xi, yi, zi, ranges);
    for (let s = 0; s < slices; s++) {
      for (let k = STRIDE * ranges[2 * s], end = STRIDE * ranges[2 * s + 1]; k < end; k += STRIDE) {
        const dx = p[k] - xi,
          dy = p[k + 1] - yi,
          dz = p[k + 2] - zi;
        const d2 = dx * dx + dy * dy + dz * dz;
        // d2 > 0 inside `touching` also skips i itself.
        if (!touching(d2, ri + p[k + 3])) continue;
        const dist = Math.sqrt(d2);
        const nx = dx / dist,
          ny = dy / dist,
          nz = dz / dist;
        const u = (p[k + 4] - ui) * nx + (p[k + 5] - vi) * ny + (p[k + 6] - wi) * nz;
        if (u < 0) {
          const J = (-bounce * u) / (invMi + 1 / p[k + 7]);
          sx -= (J * nx) / mi;
          sy -= (J * ny) / mi;
          sz -= (J * nz) / mi;
        }
      }
    }
    dvx[i] = sx;
    dvy[i] = sy;
    dvz[i] = sz;
  }
}

/** collisions, second half: `v += Δv` for particles lo..hi−1 (stored as float32). */
export function applyImpulses(ws: Workspace, lo: number, hi: number): void {
  const { vx, vy, vz, dvx, dvy, dvz } = ws;
  for (let i = lo; i < hi; i++) {
    vx[i] += dvx[i];
    vy[i] += dvy[i];
    vz[i] += dvz[i];
  }
}

/**
 * collisionImpulses in a periodic box: the same, with every separation taken at its nearest
 * image (docs/physics.md). A separate loop so the unbounded case pays nothing for it.
 */
function periodicImpulses(ws: Workspace, restitution: number, lo: number, hi: number): void {
  const { dvx, dvy, dvz, grid } = ws;
  const p = sortByCell(ws, grid);
  const order = grid.order;
  const ranges = RANGES;
  const bounce = 1 + restitution;
  const [lx, ly, lz] = gridBoxLength(grid);
  for (let slot = lo; slot < hi; slot++) {
    const i = order[slot];
    const self = STRIDE * slot;
    const xi = p[self],
      yi = p[self + 1],
      zi = p[self + 2],
      ri = p[self + 3];
    const ui = p[self + 4],
      vi = p[self + 5],
      wi = p[self + 6],
      mi = p[self + 7];
    const invMi = 1 / mi;
    let sx = 0,
      sy = 0,
      sz = 0;
    const slices = neighbourRanges(grid, xi, yi, zi, ranges);
    for (let s = 0; s < slices; s++) {
      for (let k = STRIDE * ranges[2 * s], end = STRIDE * ranges[2 * s + 1]; k < end; k += STRIDE) {
        const dx = nearestImage(p[k] - xi, lx),
          dy = nearestImage(p[k + 1] - yi, ly),
          dz = nearestImage(p[k + 2] - zi, lz);
        const d2 = dx * dx + dy * dy + dz * dz;
        if (!touching(d2, ri + p[k + 3])) continue;
        const dist = Math.sqrt(d2);
        const nx = dx / dist,
          ny = dy / dist,
          nz = dz / dist;
        const u = (p[k + 4] - ui) * nx + (p[k + 5] - vi) * ny + (p[k + 6] - wi) * nz;
        if (u < 0) {
          const J = (-bounce * u) / (invMi + 1 / p[k + 7]);
          sx -= (J * nx) / mi;
          sy -= (J * ny) / mi;
          sz -= (J * nz) / mi;
        }
      }
    }
    dvx[i] = sx;
    dvy[i] = sy;
    dvz[i] = sz;
  }
}

/** One per thread: at most MAX_RANGES [from, to) slices of the grid's order per particle. */
const RANGES = new Int32Array(2 * MAX_RANGES);
