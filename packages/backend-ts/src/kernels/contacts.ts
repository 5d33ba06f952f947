import type { ContactTerm } from '@brokenrecord/core';
import type { Workspace } from '../workspace.js';
import { buildGrid, gridHasContacts, MAX_RANGES, neighbourRanges, touching } from './broadphase.js';
import type { PhaseSync } from './integrate.js';

/** Doubles per particle in the sorted copy: x y z r vx vy vz m. */
const STRIDE = 8;

/** This thread's copy of every particle in grid order (float64; widening float32 is exact). */
let sorted = new Float64Array(0);
/** One per thread: at most MAX_RANGES [from, to) slices of the grid's order per particle. */
const RANGES = new Int32Array(2 * MAX_RANGES);

/**
 * Soft-sphere contacts (docs/physics.md, "Soft-sphere contacts"): adds every contact force of
 * particle i, divided by m_i, to its acceleration. Each particle sums its own contacts, so the
 * result does not depend on pair order or on the thread split, and no two threads write the same
 * memory; the pair's normal force comes out bit-identical from both sides (every input only
 * changes sign), so momentum holds up to the final divisions. Reads every position and velocity:
 * called by every participant after its accelerations are written and before anyone kicks.
 */
export function contactForces(term: ContactTerm, ws: Workspace, lo: number, hi: number, sync: PhaseSync): void {
  if (sync.leader) buildGrid(ws.grid, ws.px, ws.py, ws.pz, ws.radius, ws.count, null);
  sync.barrier(); // the grid is complete, and so is every particle's acceleration
  // Slots lo..hi−1 of the grid's order: any partition of the slots covers each particle once.
  if (gridHasContacts(ws.grid)) contactAccelerations(term, ws, lo, hi);
  sync.barrier(); // every velocity has been read before anyone kicks
}

function sortByCell(ws: Workspace): Float64Array {
  const n = ws.count;
  if (sorted.length < STRIDE * n) sorted = new Float64Array(STRIDE * Math.max(n, Math.ceil((sorted.length / STRIDE) * 1.5)));
  const { px, py, pz, vx, vy, vz, mass, radius } = ws;
  const order = ws.grid.order;
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

function contactAccelerations(term: ContactTerm, ws: Workspace, lo: number, hi: number): void {
  if (lo >= hi) return;
  const { ax, ay, az, grid } = ws;
  const p = sortByCell(ws);
  const order = grid.order;
  const ranges = RANGES;
  const k = term.stiffness;
  const gamma = term.dampingRate;
  const beta = term.dampingRatio;
  const hertz = term.model === 'hertz';
  for (let slot = lo; slot < hi; slot++) {
    const self = STRIDE * slot;
    const xi = p[self],
      yi = p[self + 1],
      zi = p[self + 2],
      ri = p[self + 3];
    const ui = p[self + 4],
      vi = p[self + 5],
      wi = p[self + 6],
      mi = p[self + 7];
    let sx = 0,
      sy = 0,
      sz = 0;
    const slices = neighbourRanges(grid, xi, yi, zi, ranges);
    for (let s = 0; s < slices; s++) {
      for (let q = STRIDE * ranges[2 * s], end = STRIDE * ranges[2 * s + 1]; q < end; q += STRIDE) {
        const dx = p[q] - xi,
          dy = p[q + 1] - yi,
          dz = p[q + 2] - zi;
        const d2 = dx * dx + dy * dy + dz * dz;
        const rj = p[q + 3];
        // d2 > 0 inside `touching` also skips i itself.
        if (!touching(d2, ri + rj)) continue;
        const r = Math.sqrt(d2);
        const nx = dx / r,
          ny = dy / r,
          nz = dz / r;
        const delta = ri + rj - r;
        const u = (p[q + 4] - ui) * nx + (p[q + 5] - vi) * ny + (p[q + 6] - wi) * nz;
        const mj = p[q + 7];
        const meff = (mi * mj) / (mi + mj);
        const c = gamma * meff + beta * Math.sqrt(k * meff);
        const w = hertz ? Math.sqrt((delta * (ri * rj)) / (ri + rj)) : 1;
        const fn = w * (k * delta - c * u);
        sx -= fn * nx;
        sy -= fn * ny;
        sz -= fn * nz;
      }
    }
    const i = order[slot];
    ax[i] += sx / mi;
    ay[i] += sy / mi;
    az[i] += sz / mi;
  }
}
