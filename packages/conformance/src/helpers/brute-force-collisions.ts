import type { ParticleState } from '@brokenrecord/core';

/**
 * The contact phase of docs/physics.md computed the obvious way: every pair, O(N²), no grid, in
 * float64 from the float32 state. Jacobi style: all impulses use the velocities as they were when
 * the phase began, and each particle sums its own changes.
 *
 * Returns the velocities after the phase, rounded to float32 as a backend stores them, and the
 * number of colliding (overlapping and approaching) pairs, so a test can make sure its
 * configuration actually exercises contacts.
 */
export function bruteForceContactVelocities(
  state: ParticleState,
  restitution: number,
): { vx: Float32Array; vy: Float32Array; vz: Float32Array; pairs: number } {
  const { px, py, pz, vx, vy, vz, mass, radius } = state;
  const n = state.count;
  const dvx = new Float64Array(n);
  const dvy = new Float64Array(n);
  const dvz = new Float64Array(n);
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = px[j] - px[i];
      const dy = py[j] - py[i];
      const dz = pz[j] - pz[i];
      const d2 = dx * dx + dy * dy + dz * dz;
      const reach = radius[i] + radius[j];
      if (!(d2 < reach * reach && d2 > 0)) continue;
      const dist = Math.sqrt(d2);
      const nx = dx / dist;
      const ny = dy / dist;
      const nz = dz / dist;
      const u = (vx[j] - vx[i]) * nx + (vy[j] - vy[i]) * ny + (vz[j] - vz[i]) * nz;
      if (!(u < 0)) continue;
      const J = (-(1 + restitution) * u) / (1 / mass[i] + 1 / mass[j]);
      dvx[i] -= (J * nx) / mass[i];
      dvy[i] -= (J * ny) / mass[i];
      dvz[i] -= (J * nz) / mass[i];
      if (i < j) pairs++;
    }
  }
  const out = { vx: new Float32Array(n), vy: new Float32Array(n), vz: new Float32Array(n), pairs };
  for (let i = 0; i < n; i++) {
    out.vx[i] = vx[i] + dvx[i];
    out.vy[i] = vy[i] + dvy[i];
    out.vz[i] = vz[i] + dvz[i];
  }
  return out;
}
