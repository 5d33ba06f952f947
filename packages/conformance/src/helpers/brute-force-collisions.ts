import { COLLISION_SWEEP_LIMIT, type ParticleState } from '@brokenrecord/core';

/** One impulse of a contact phase: the pair, its approach speed u < 0 just before, and μ = 1/w. */
export interface ContactEvent {
  i: number;
  j: number;
  u: number;
  mu: number;
}

/**
 * The contact phase of docs/physics.md ("Collisions") computed the obvious way: every pair
 * tested, O(N²), no grid; the touching pairs (i < j) in lexicographic order; sweeps over them in
 * that order, each approaching pair taking its exact binary impulse (float64 from the float32
 * velocities, stored as float32 at once), until a sweep applies none or COLLISION_SWEEP_LIMIT ran.
 *
 * Returns the velocities after the phase, the number of pairs approaching when the phase began
 * (so a test can make sure its configuration exercises contacts), every impulse in the order
 * applied, the sweeps run and whether the limit left the contacts unresolved.
 */
export function bruteForceContactVelocities(
  state: ParticleState,
  restitution: number,
): { vx: Float32Array; vy: Float32Array; vz: Float32Array; pairs: number; events: ContactEvent[]; sweeps: number; unresolved: boolean } {
  const { px, py, pz, mass, radius } = state;
  const n = state.count;
  const vx = Float32Array.from(state.vx.subarray(0, n));
  const vy = Float32Array.from(state.vy.subarray(0, n));
  const vz = Float32Array.from(state.vz.subarray(0, n));
  const touching: { i: number; j: number; nx: number; ny: number; nz: number; w: number }[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = px[j] - px[i];
      const dy = py[j] - py[i];
      const dz = pz[j] - pz[i];
      const d2 = dx * dx + dy * dy + dz * dz;
      const reach = radius[i] + radius[j];
      if (!(d2 < reach * reach && d2 > 0)) continue;
      const dist = Math.sqrt(d2);
      touching.push({ i, j, nx: dx / dist, ny: dy / dist, nz: dz / dist, w: 1 / mass[i] + 1 / mass[j] });
    }
  }
  const approach = (p: (typeof touching)[number]) => (vx[p.j] - vx[p.i]) * p.nx + (vy[p.j] - vy[p.i]) * p.ny + (vz[p.j] - vz[p.i]) * p.nz;
  const pairs = touching.filter((p) => approach(p) < 0).length;
  const events: ContactEvent[] = [];
  let sweeps = 0;
  let unresolved = false;
  for (; sweeps < COLLISION_SWEEP_LIMIT;) {
    sweeps++;
    let applied = 0;
    for (const p of touching) {
      const u = approach(p);
      if (!(u < 0)) continue;
      const J = (-(1 + restitution) * u) / p.w;
      const { i, j } = p;
      vx[i] = vx[i] - (J * p.nx) / mass[i];
      vy[i] = vy[i] - (J * p.ny) / mass[i];
      vz[i] = vz[i] - (J * p.nz) / mass[i];
      vx[j] = vx[j] + (J * p.nx) / mass[j];
      vy[j] = vy[j] + (J * p.ny) / mass[j];
      vz[j] = vz[j] + (J * p.nz) / mass[j];
      events.push({ i, j, u, mu: 1 / p.w });
      applied++;
    }
    if (applied === 0) break;
    if (sweeps === COLLISION_SWEEP_LIMIT) unresolved = true;
  }
  return { vx, vy, vz, pairs, events, sweeps, unresolved };
}
