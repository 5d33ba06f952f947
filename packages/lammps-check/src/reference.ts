/**
 * An independent float64 evaluation of the same physics, brute force over all minimum-image pairs:
 * Lennard-Jones truncated (not shifted) at the cutoff, σ and ε mixed per pair as LAMMPS
 * `pair_modify mix arithmetic` (σ_ij = (σ_i + σ_j)/2, ε_ij = sqrt(ε_i ε_j)), velocity Verlet with
 * wrap after the drift. It checks the LAMMPS side on its own (input script, data file, units,
 * image flags) so a disagreement with BrokenRecord can be laid at the right door.
 */
import { massesOf, minimumImage, wrap, type LjConfiguration } from './configuration.js';

export interface EnergyAndForces {
  potential: number;
  /** fx0 fy0 fz0 fx1 ... */
  force: Float64Array;
}

export function ljEnergyAndForces(config: LjConfiguration, position: Float64Array = config.position): EnergyAndForces {
  const { n, box, cutoff, type, species } = config;
  const force = new Float64Array(3 * n);
  const rc2 = cutoff * cutoff;
  let potential = 0;
  for (let i = 0; i < n; i++) {
    const si = species[type[i]];
    for (let j = i + 1; j < n; j++) {
      const dx = minimumImage(position[3 * j] - position[3 * i], box);
      const dy = minimumImage(position[3 * j + 1] - position[3 * i + 1], box);
      const dz = minimumImage(position[3 * j + 2] - position[3 * i + 2], box);
      const r2 = dx * dx + dy * dy + dz * dz;
      if (!(r2 < rc2)) continue;
      const sj = species[type[j]];
      const sigma = 0.5 * (si.sigma + sj.sigma);
      const epsilon = Math.sqrt(si.epsilon * sj.epsilon);
      const s6 = ((sigma * sigma) / r2) ** 3;
      potential += 4 * epsilon * (s6 * s6 - s6);
      // F_i = (dU/dr / r) d with d = x_j − x_i; dU/dr · r = −24 ε (2 s¹² − s⁶).
      const f = (-24 * epsilon * (2 * s6 * s6 - s6)) / r2;
      force[3 * i] += f * dx;
      force[3 * i + 1] += f * dy;
      force[3 * i + 2] += f * dz;
      force[3 * j] -= f * dx;
      force[3 * j + 1] -= f * dy;
      force[3 * j + 2] -= f * dz;
    }
  }
  return { potential, force };
}

export function kineticEnergy(config: LjConfiguration, velocity: Float64Array): number {
  const mass = massesOf(config);
  let k = 0;
  for (let i = 0; i < config.n; i++) k += 0.5 * mass[i] * (velocity[3 * i] ** 2 + velocity[3 * i + 1] ** 2 + velocity[3 * i + 2] ** 2);
  return k;
}

export interface Trajectory {
  /** Wrapped into [0, box). */
  position: Float64Array;
  velocity: Float64Array;
  potential: number;
  kinetic: number;
}

/**
 * Velocity Verlet (kick-drift-kick, wrap after the drift), `steps` steps of `dt`. With `float32`
 * every stored position and velocity is rounded to float32 after each update, as BrokenRecord's
 * columns are, which shows how far float32 storage alone moves a trajectory from LAMMPS's doubles.
 */
export function verletTrajectory(config: LjConfiguration, steps: number, dt: number, options: { float32?: boolean } = {}): Trajectory {
  const round = options.float32 ? Math.fround : (x: number) => x;
  const { n, box } = config;
  const mass = massesOf(config);
  const x = Float64Array.from(config.position);
  const v = Float64Array.from(config.velocity);
  let { force } = ljEnergyAndForces(config, x);
  for (let s = 0; s < steps; s++) {
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < 3; k++) {
        const c = 3 * i + k;
        v[c] = round(v[c] + (force[c] / mass[i]) * (dt / 2));
        let p = round(wrap(round(x[c] + v[c] * dt), box));
        if (p >= box) p = 0;
        x[c] = p;
      }
    }
    force = ljEnergyAndForces(config, x).force;
    for (let c = 0; c < 3 * n; c++) v[c] = round(v[c] + (force[c] / mass[Math.floor(c / 3)]) * (dt / 2));
  }
  return { position: x, velocity: v, potential: ljEnergyAndForces(config, x).potential, kinetic: kineticEnergy(config, v) };
}

/** Largest minimum-image distance between matching atoms of two position arrays. */
export function largestDisplacement(
  a: Float64Array | Float32Array,
  b: Float64Array | Float32Array,
  box: number,
): { distance: number; atom: number } {
  let worst = { distance: 0, atom: -1 };
  for (let i = 0; i < a.length / 3; i++) {
    let d2 = 0;
    for (let k = 0; k < 3; k++) d2 += minimumImage(a[3 * i + k] - b[3 * i + k], box) ** 2;
    const d = Math.sqrt(d2);
    if (!(d <= worst.distance)) worst = { distance: d, atom: i };
  }
  return worst;
}

/** Largest |a − b| over every component, divided by the largest |b|: "to 1e-4 relative to the largest force". */
export function relativeToLargest(a: ArrayLike<number>, b: ArrayLike<number>): { relative: number; index: number } {
  let scale = 0;
  for (let k = 0; k < b.length; k++) scale = Math.max(scale, Math.abs(b[k]));
  let worst = { relative: 0, index: -1 };
  for (let k = 0; k < b.length; k++) {
    const r = Math.abs(a[k] - b[k]) / scale;
    if (!(r <= worst.relative)) worst = { relative: r, index: k };
  }
  return worst;
}
