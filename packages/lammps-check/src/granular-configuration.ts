/**
 * The granular comparison setup: a small cloud of soft spheres of different radii and masses
 * thrown at each other in free space (no walls, no gravity), so that head-on, oblique and
 * simultaneous contacts all happen within a short run. Every number is a float32 value, so both
 * engines start from exactly the state BrokenRecord stores.
 */
import { mulberry32 } from './random.js';

export interface GranularConfiguration {
  n: number;
  /** Interleaved x y z. */
  position: Float64Array;
  velocity: Float64Array;
  radius: Float64Array;
  mass: Float64Array;
  /** gran/hooke Kn (force/length) and gamma_n (1/time). */
  stiffness: number;
  damping: number;
}

const f32 = Math.fround;

/**
 * `n` spheres of radius 0.4–0.6 and density 1 on a jittered cubic lattice of spacing 1.35 (gaps of
 * 0.15–0.55), each moving towards the centre at about 1–3: the first contacts start after a few
 * hundred steps of dt = 1e-4 and last ~150 steps each (k = 1e4, m_eff ≈ 0.2).
 */
export function granularCloud(options: { side: number; seed: number; stiffness: number; damping: number }): GranularConfiguration {
  const { side } = options;
  const rnd = mulberry32(options.seed);
  const n = side ** 3;
  const position = new Float64Array(3 * n);
  const velocity = new Float64Array(3 * n);
  const radius = new Float64Array(n);
  const mass = new Float64Array(n);
  const centre = ((side - 1) * 1.35) / 2;
  let i = 0;
  for (let a = 0; a < side; a++)
    for (let b = 0; b < side; b++)
      for (let c = 0; c < side; c++, i++) {
        radius[i] = f32(0.4 + 0.2 * rnd());
        mass[i] = f32((4 / 3) * Math.PI * radius[i] ** 3);
        // Centred on the origin, where float32 coordinates are finest.
        const site = [a, b, c].map((s) => s * 1.35 - centre + 0.04 * (rnd() - 0.5));
        const toCentre = site.map((x) => -x);
        const len = Math.hypot(...toCentre) || 1;
        const speed = 1 + 2 * rnd();
        for (let k = 0; k < 3; k++) {
          position[3 * i + k] = f32(site[k]);
          velocity[3 * i + k] = f32((speed * toCentre[k]) / len + 0.3 * (rnd() - 0.5));
        }
      }
  // No two spheres may overlap at the start (the lattice gap is at least 1.35 − 1.2 − 0.04).
  for (let p = 0; p < n; p++)
    for (let q = p + 1; q < n; q++) {
      const d = Math.hypot(
        position[3 * q] - position[3 * p],
        position[3 * q + 1] - position[3 * p + 1],
        position[3 * q + 2] - position[3 * p + 2],
      );
      if (d <= radius[p] + radius[q]) throw new Error(`granularCloud: spheres ${p} and ${q} overlap at the start`);
    }
  return { n, position, velocity, radius, mass, stiffness: options.stiffness, damping: options.damping };
}

/** Positions and velocities at each checkpoint (every `every` steps, the start included). */
export interface GranularTrajectory {
  every: number;
  frames: { position: Float64Array; velocity: Float64Array }[];
}

/**
 * The norm of the comparison: over every checkpoint and atom, the largest |Δx| component relative
 * to the largest displacement from the start, and the largest |Δv| component relative to the
 * largest speed reached.
 */
export function trajectoryDeviation(
  ours: GranularTrajectory,
  reference: GranularTrajectory,
): { position: number; velocity: number; frame: number } {
  if (ours.frames.length !== reference.frames.length) throw new Error(`${ours.frames.length} frames against ${reference.frames.length}`);
  const start = reference.frames[0].position;
  let travel = 0,
    speed = 0;
  for (const f of reference.frames) {
    for (let c = 0; c < start.length; c++) {
      travel = Math.max(travel, Math.abs(f.position[c] - start[c]));
      speed = Math.max(speed, Math.abs(f.velocity[c]));
    }
  }
  let worst = { position: 0, velocity: 0, frame: -1 };
  reference.frames.forEach((f, t) => {
    const o = ours.frames[t];
    for (let c = 0; c < start.length; c++) {
      const dx = Math.abs(o.position[c] - f.position[c]) / travel;
      const dv = Math.abs(o.velocity[c] - f.velocity[c]) / speed;
      if (!(dx <= worst.position)) worst = { ...worst, position: dx, frame: t };
      if (!(dv <= worst.velocity)) worst = { ...worst, velocity: dv, frame: t };
    }
  });
  return worst;
}
