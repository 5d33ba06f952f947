import { COLLISION_SWEEP_LIMIT } from '@brokenrecord/core';
import type { Workspace } from '../workspace.js';
import { gridBoxLength, gridIsPeriodic, MAX_RANGES, nearestImage, neighbourRanges, touching, type GridStorage } from './broadphase.js';

/**
 * collisions (docs/physics.md, "Collisions"): the touching pairs (i < j) of the current positions
 * in lexicographic (i, j) order, then sweeps over them in that order, each pair taking the exact
 * binary impulse of its current approach, until a sweep finds no pair approaching or
 * COLLISION_SWEEP_LIMIT sweeps ran.
 *
 * The whole phase runs on one thread (the leader): the order of the impulses is the physics, so
 * the result is the same for any thread count. Everything here is per thread: module scratch.
 */

/** Doubles per particle in the sorted copy: x y z r. */
const STRIDE = 4;
let sorted = new Float64Array(0);
/** Pairs as found (grid order of i), then sorted: i, j and the per-pair constants n, w. */
let foundI = new Int32Array(0);
let foundJ = new Int32Array(0);
let pairI = new Int32Array(0);
let pairJ = new Int32Array(0);
let firstOf = new Int32Array(0);
let normals = new Float64Array(0);
let weights = new Float64Array(0);
/** One per thread: at most MAX_RANGES [from, to) slices of the grid's order per particle. */
const RANGES = new Int32Array(2 * MAX_RANGES);

function growPairs(need: number): void {
  if (foundI.length >= need) return;
  const size = Math.max(need, Math.ceil(foundI.length * 1.5), 64);
  const keepI = foundI,
    keepJ = foundJ;
  foundI = new Int32Array(size);
  foundJ = new Int32Array(size);
  foundI.set(keepI);
  foundJ.set(keepJ);
  pairI = new Int32Array(size);
  pairJ = new Int32Array(size);
  normals = new Float64Array(3 * size);
  weights = new Float64Array(size);
}

/**
 * Positions and radii in grid order (interleaved float64): the candidates of one row of cells are
 * then contiguous in memory. Widening float32 to float64 is exact, so the arithmetic is unchanged.
 */
function sortByCell(ws: Workspace, grid: GridStorage): Float64Array {
  const n = ws.count;
  if (sorted.length < STRIDE * n) sorted = new Float64Array(STRIDE * Math.max(n, Math.ceil((sorted.length / STRIDE) * 1.5)));
  const { px, py, pz, radius } = ws;
  const order = grid.order;
  for (let slot = 0, k = 0; slot < n; slot++, k += STRIDE) {
    const j = order[slot];
    sorted[k] = px[j];
    sorted[k + 1] = py[j];
    sorted[k + 2] = pz[j];
    sorted[k + 3] = radius[j];
  }
  return sorted;
}

/**
 * Every touching pair (i, j), i < j, through the grid (nearest image in a periodic box), written
 * to foundI/foundJ in grid order; returns how many. Requires the grid built from the current positions.
 */
function findPairs(ws: Workspace): number {
  const grid = ws.grid;
  const n = ws.count;
  const p = sortByCell(ws, grid);
  const order = grid.order;
  const ranges = RANGES;
  const periodic = gridIsPeriodic(grid);
  const [lx, ly, lz] = periodic ? gridBoxLength(grid) : [0, 0, 0];
  let count = 0;
  for (let slot = 0; slot < n; slot++) {
    const i = order[slot];
    const self = STRIDE * slot;
    const xi = p[self],
      yi = p[self + 1],
      zi = p[self + 2],
      ri = p[self + 3];
    const slices = neighbourRanges(grid, xi, yi, zi, ranges);
    for (let s = 0; s < slices; s++) {
      for (let k = ranges[2 * s], end = ranges[2 * s + 1]; k < end; k++) {
        const j = order[k];
        if (j <= i) continue;
        const at = STRIDE * k;
        let dx = p[at] - xi,
          dy = p[at + 1] - yi,
          dz = p[at + 2] - zi;
        if (periodic) {
          dx = nearestImage(dx, lx);
          dy = nearestImage(dy, ly);
          dz = nearestImage(dz, lz);
        }
        if (!touching(dx * dx + dy * dy + dz * dz, ri + p[at + 3])) continue;
        if (count === foundI.length) growPairs(count + 1);
        foundI[count] = i;
        foundJ[count] = j;
        count++;
      }
    }
  }
  return count;
}

/**
 * Sorts the found pairs into lexicographic (i, j) order (counting sort by i, then insertion sort
 * of each particle's few partners) and computes each pair's unit normal n = d/|d| and
 * w = 1/m_i + 1/m_j once: positions and masses do not change during the phase.
 */
function orderPairs(ws: Workspace, count: number): void {
  const n = ws.count;
  if (firstOf.length < n + 1) firstOf = new Int32Array(Math.max(n + 1, Math.ceil(firstOf.length * 1.5)));
  firstOf.fill(0, 0, n + 1);
  for (let p = 0; p < count; p++) firstOf[foundI[p] + 1]++;
  for (let i = 0; i < n; i++) firstOf[i + 1] += firstOf[i];
  for (let p = 0; p < count; p++) {
    const at = firstOf[foundI[p]]++;
    pairI[at] = foundI[p];
    pairJ[at] = foundJ[p];
  }
  // firstOf[i] now points at the end of i's pairs; sort each run [start, end) by j.
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = firstOf[i];
    for (let a = start + 1; a < end; a++) {
      const j = pairJ[a];
      let b = a - 1;
      while (b >= start && pairJ[b] > j) {
        pairJ[b + 1] = pairJ[b];
        b--;
      }
      pairJ[b + 1] = j;
    }
    start = end;
  }
  const { px, py, pz, mass } = ws;
  const periodic = gridIsPeriodic(ws.grid);
  const [lx, ly, lz] = periodic ? gridBoxLength(ws.grid) : [0, 0, 0];
  for (let p = 0; p < count; p++) {
    const i = pairI[p],
      j = pairJ[p];
    let dx = px[j] - px[i],
      dy = py[j] - py[i],
      dz = pz[j] - pz[i];
    if (periodic) {
      dx = nearestImage(dx, lx);
      dy = nearestImage(dy, ly);
      dz = nearestImage(dz, lz);
    }
    const dist = Math.sqrt(dx * dx + dy * dy + dz * dz);
    normals[3 * p] = dx / dist;
    normals[3 * p + 1] = dy / dist;
    normals[3 * p + 2] = dz / dist;
    weights[p] = 1 / mass[i] + 1 / mass[j];
  }
}

/**
 * Sweeps over the ordered pairs until one applies no impulse or COLLISION_SWEEP_LIMIT ran. Each
 * approaching pair (u = (v_j − v_i)·n < 0) gets J = −(1 + e)·u / w, v_i −= J·n/m_i and
 * v_j += J·n/m_j, computed in float64 from the stored float32 velocities and stored as float32
 * at once, so the next pair sees them. Returns true when the last sweep still applied an impulse
 * (the contacts were left unresolved).
 */
function sweep(ws: Workspace, count: number, restitution: number): boolean {
  const { vx, vy, vz, mass } = ws;
  const bounce = 1 + restitution;
  for (let round = 0; round < COLLISION_SWEEP_LIMIT; round++) {
    let applied = 0;
    for (let p = 0; p < count; p++) {
      const i = pairI[p],
        j = pairJ[p];
      const nx = normals[3 * p],
        ny = normals[3 * p + 1],
        nz = normals[3 * p + 2];
      const u = (vx[j] - vx[i]) * nx + (vy[j] - vy[i]) * ny + (vz[j] - vz[i]) * nz;
      if (!(u < 0)) continue;
      const J = (-bounce * u) / weights[p];
      const mi = mass[i],
        mj = mass[j];
      vx[i] = vx[i] - (J * nx) / mi;
      vy[i] = vy[i] - (J * ny) / mi;
      vz[i] = vz[i] - (J * nz) / mi;
      vx[j] = vx[j] + (J * nx) / mj;
      vy[j] = vy[j] + (J * ny) / mj;
      vz[j] = vz[j] + (J * nz) / mj;
      applied++;
    }
    if (applied === 0) return false;
  }
  return true;
}

/**
 * The collisions rule's contact phase on the whole state (one thread). Returns true when the
 * sweep limit was reached with impulses still being applied.
 */
export function resolveCollisions(ws: Workspace, restitution: number): boolean {
  const count = findPairs(ws);
  if (count === 0) return false;
  growPairs(count);
  orderPairs(ws, count);
  return sweep(ws, count, restitution);
}
