import { defineSystem, GRAVITY_TREE_MIN_COUNT, pairwiseGravity, ParticleState } from '@brokenrecord/core';
import type { Scenario } from './scenario.js';

const CENTRAL_MASS = 1e4;
/** The disc weighs 1% of the centre, so orbits stay near-Keplerian while the disc still self-gravitates. */
const DISC_MASS = 100;
const INNER_RADIUS = 20;
const OUTER_RADIUS = 100;
const HALF_THICKNESS = 1;
/** Keeps close orbiter-orbiter passes from producing accelerations the step cannot follow. */
const SOFTENING = 0.5;

/**
 * A central mass of 1e4 at the origin and n orbiters in a thin disc, each on the circular orbit of
 * the mass inside its radius (centre plus the orbiters closer in). The centre recoils so that the
 * total momentum is zero.
 */
export const galaxy: Scenario = {
  name: 'galaxy',
  summary: 'a central mass of 1e4 and n orbiters on near-circular orbits in a thin disc (softened gravity, verlet)',
  defaults: { steps: 1000, dt: 0.01, particles: 1000, integrator: 'verlet' },
  fixedParticles: false,
  // Measured ~1e-8 at the defaults (verlet error and float32 rounding); 1e-5 allows much longer runs.
  tolerances: { energy: 1e-5, momentum: 1e-5, angularMomentum: 1e-5 },
  // From GRAVITY_TREE_MIN_COUNT orbiters up the Barnes–Hut tree, asked for by name so that only a
  // backend implementing it is chosen (all pairs at a million bodies would take minutes per step).
  system: ({ integrator, particles }) =>
    defineSystem({
      integrator,
      rules: [pairwiseGravity({ G: 1, softening: SOFTENING, method: particles >= GRAVITY_TREE_MIN_COUNT ? 'tree' : 'direct' })],
      conserves: ['energy', 'momentum', 'angularMomentum'],
    }),
  state: ({ particles, random }) => {
    const m = DISC_MASS / particles;
    // Uniform surface density: radius ∝ sqrt of a uniform draw between the rings' areas.
    const radii = new Float64Array(particles);
    for (let k = 0; k < particles; k++) radii[k] = Math.sqrt(random.uniform(INNER_RADIUS ** 2, OUTER_RADIUS ** 2));
    radii.sort();
    // Straight into the columns (no per-particle arrays): the CLI may ask for millions.
    const state = ParticleState.create(particles + 1);
    const { px, py, pz, vx, vy, vz, mass } = state;
    const momentum = [0, 0, 0];
    mass[0] = CENTRAL_MASS;
    for (let k = 0; k < particles; k++) {
      const r = radii[k];
      const angle = random.uniform(0, 2 * Math.PI);
      const z = random.uniform(-HALF_THICKNESS, HALF_THICKNESS);
      const enclosed = CENTRAL_MASS + k * m;
      const d2 = r * r + z * z + SOFTENING * SOFTENING;
      // Softened circular speed: v² = G·M·r² / (r² + z² + ε²)^{3/2}.
      const speed = Math.sqrt((enclosed * r * r) / (d2 * Math.sqrt(d2)));
      const v = [-speed * Math.sin(angle), speed * Math.cos(angle), 0];
      px[k + 1] = r * Math.cos(angle);
      py[k + 1] = r * Math.sin(angle);
      pz[k + 1] = z;
      vx[k + 1] = v[0];
      vy[k + 1] = v[1];
      mass[k + 1] = m;
      for (let c = 0; c < 3; c++) momentum[c] += m * v[c];
    }
    vx[0] = -momentum[0] / CENTRAL_MASS;
    vy[0] = -momentum[1] / CENTRAL_MASS;
    vz[0] = -momentum[2] / CENTRAL_MASS;
    return state;
  },
};
