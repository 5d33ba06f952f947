import { defineSystem, pairwiseGravity, ParticleState } from '@brokenrecord/core';
import type { SeededRandom } from '../random.js';
import type { Scenario } from './scenario.js';

/** Total mass 1, Plummer scale radius 1, G = 1 (Hénon-like units: crossing time ~ 1). */
const SCALE_RADIUS = 1;
/** Drawn radii beyond this many scale radii are redrawn (the Plummer tail is infinite). */
const CUTOFF = 10;
const SOFTENING = 0.05;

/**
 * A Plummer sphere sampled as in Aarseth, Hénon & Wielen (1974): radii from the inverse cumulative
 * mass, speeds by rejection from the isotropic distribution function, so the cluster starts in
 * virial equilibrium (2K + U ≈ 0) and stays statistically stationary. Shifted to its centre-of-mass
 * frame, so the total momentum is zero.
 */
export const cluster: Scenario = {
  name: 'cluster',
  summary: 'a self-gravitating Plummer sphere of n equal masses near virial equilibrium (softened gravity, verlet)',
  defaults: { steps: 1000, dt: 0.005, particles: 1000, integrator: 'verlet' },
  fixedParticles: false,
  // Measured ~1e-7 at the defaults; close passes inside the softening length cost energy first.
  tolerances: { energy: 1e-4, momentum: 1e-5, angularMomentum: 1e-5 },
  system: ({ integrator }) =>
    defineSystem({
      integrator,
      rules: [pairwiseGravity({ G: 1, softening: SOFTENING })],
      conserves: ['energy', 'momentum', 'angularMomentum'],
    }),
  state: ({ particles, random }) => {
    // Flat float64 vectors (x0 y0 z0 x1 ...), then straight into the columns: no per-particle
    // arrays, the CLI may ask for millions.
    const position = new Float64Array(3 * particles);
    const velocity = new Float64Array(3 * particles);
    for (let i = 0; i < particles; i++) {
      const r = plummerRadius(random);
      const speed = plummerSpeedFraction(random) * Math.SQRT2 * (1 + (r / SCALE_RADIUS) ** 2) ** -0.25;
      const p = random.unitVector();
      const v = random.unitVector();
      for (let c = 0; c < 3; c++) {
        position[3 * i + c] = p[c] * r;
        velocity[3 * i + c] = v[c] * speed;
      }
    }
    toCentreOfMassFrame(position);
    toCentreOfMassFrame(velocity);
    const state = ParticleState.create(particles);
    const columns = [state.px, state.py, state.pz, state.vx, state.vy, state.vz];
    for (let i = 0; i < particles; i++) {
      for (let c = 0; c < 3; c++) {
        columns[c][i] = position[3 * i + c];
        columns[3 + c][i] = velocity[3 * i + c];
      }
    }
    state.mass.fill(1 / particles);
    return state;
  },
};

function plummerRadius(random: SeededRandom): number {
  for (;;) {
    const u = random.next();
    if (u === 0) continue;
    const r = SCALE_RADIUS / Math.sqrt(u ** (-2 / 3) - 1);
    if (r <= CUTOFF * SCALE_RADIUS) return r;
  }
}

/** q = v / v_escape, drawn from g(q) = q²(1 − q²)^{7/2} by rejection (max of g is below 0.1). */
function plummerSpeedFraction(random: SeededRandom): number {
  for (;;) {
    const q = random.next();
    if (random.uniform(0, 0.1) < q * q * (1 - q * q) ** 3.5) return q;
  }
}

/** Equal masses: subtracting the mean removes the centre of mass (or its velocity). `flat` is x0 y0 z0 x1 ... */
function toCentreOfMassFrame(flat: Float64Array): void {
  const n = flat.length / 3;
  if (n === 0) return;
  for (let c = 0; c < 3; c++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += flat[3 * i + c];
    const mean = sum / n;
    for (let i = 0; i < n; i++) flat[3 * i + c] -= mean;
  }
}
