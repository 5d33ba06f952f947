/**
 * The granular run in float64, by brute force over all pairs, in either of two velocity-Verlet
 * schemes that differ only when the force reads velocities (damping):
 * - `brokenrecord` (docs/physics.md): the first half kick of each step evaluates the force again at
 *   (x_k, v_k);
 * - `lammps` (fix nve + a pair style): it reuses the force of the previous step, computed at
 *   (x_k, v_{k−1/2}).
 * Without damping the two are the same computation. The force is that of docs/physics.md,
 * "Soft-sphere contacts", for `hooke` with damping rate γ (c = γ·m_eff), as gran/hooke.
 */
import type { GranularConfiguration, GranularTrajectory } from './granular-configuration.js';

export function granularVerlet(
  config: GranularConfiguration,
  steps: number,
  dt: number,
  every: number,
  scheme: 'brokenrecord' | 'lammps',
): GranularTrajectory {
  const { n, radius, mass, stiffness: k, damping: gamma } = config;
  const x = Float64Array.from(config.position);
  const v = Float64Array.from(config.velocity);
  const a = new Float64Array(3 * n);
  const forces = () => {
    a.fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const dx = x[3 * j] - x[3 * i],
          dy = x[3 * j + 1] - x[3 * i + 1],
          dz = x[3 * j + 2] - x[3 * i + 2];
        const d2 = dx * dx + dy * dy + dz * dz;
        const rs = radius[i] + radius[j];
        if (!(d2 < rs * rs) || d2 === 0) continue;
        const r = Math.sqrt(d2);
        const nx = dx / r,
          ny = dy / r,
          nz = dz / r;
        const u = (v[3 * j] - v[3 * i]) * nx + (v[3 * j + 1] - v[3 * i + 1]) * ny + (v[3 * j + 2] - v[3 * i + 2]) * nz;
        const meff = (mass[i] * mass[j]) / (mass[i] + mass[j]);
        const fn = k * (rs - r) - gamma * meff * u;
        a[3 * i] -= (fn * nx) / mass[i];
        a[3 * i + 1] -= (fn * ny) / mass[i];
        a[3 * i + 2] -= (fn * nz) / mass[i];
      }
    }
  };
  const frames: GranularTrajectory['frames'] = [{ position: Float64Array.from(x), velocity: Float64Array.from(v) }];
  forces();
  for (let s = 1; s <= steps; s++) {
    if (scheme === 'brokenrecord') forces();
    for (let c = 0; c < 3 * n; c++) {
      v[c] += a[c] * (dt / 2);
      x[c] += v[c] * dt;
    }
    forces();
    for (let c = 0; c < 3 * n; c++) v[c] += a[c] * (dt / 2);
    if (s % every === 0) frames.push({ position: Float64Array.from(x), velocity: Float64Array.from(v) });
  }
  return { every, frames };
}
