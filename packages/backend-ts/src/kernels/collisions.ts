import type { Workspace } from '../workspace.js';
import { neighbourRanges, touching } from './broadphase.js';

/**
 * collisions, first half (Jacobi): the velocity change of particles lo..hi−1 from every contact,
 * computed from the velocities as they are now (nothing is applied until `applyImpulses`). Each
 * pair is evaluated from both sides; the impulse J comes out bit-identical from either side
 * (d, n and the relative velocity only change sign), so momentum is kept up to the final additions.
 * Requires the grid built from the current positions.
 */
export function collisionImpulses(ws: Workspace, restitution: number, lo: number, hi: number): void {
  const { px, py, pz, vx, vy, vz, mass, radius, dvx, dvy, dvz, grid } = ws;
  const order = grid.order;
  const ranges = RANGES;
  const bounce = 1 + restitution;
  for (let i = lo; i < hi; i++) {
    const xi = px[i], yi = py[i], zi = pz[i];
    const ui = vx[i], vi = vy[i], wi = vz[i];
    const ri = radius[i], mi = mass[i], invMi = 1 / mi;
    let sx = 0, sy = 0, sz = 0;
    const slices = neighbourRanges(grid, xi, yi, zi, ranges);
    for (let s = 0; s < slices; s++) {
      for (let k = ranges[2 * s], end = ranges[2 * s + 1]; k < end; k++) {
        const j = order[k];
        if (j === i) continue;
        const dx = px[j] - xi, dy = py[j] - yi, dz = pz[j] - zi;
        const d2 = dx * dx + dy * dy + dz * dz;
        if (!touching(d2, ri + radius[j])) continue;
        const dist = Math.sqrt(d2);
        const nx = dx / dist, ny = dy / dist, nz = dz / dist;
        const u = (vx[j] - ui) * nx + (vy[j] - vi) * ny + (vz[j] - wi) * nz;
        if (u < 0) {
          const J = (-bounce * u) / (invMi + 1 / mass[j]);
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

/** One per thread: at most nine [from, to) slices of the grid's order per particle. */
const RANGES = new Int32Array(18);
