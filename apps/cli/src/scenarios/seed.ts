import { defineSystem, ParticleState, uniformGravity } from '@brokenrecord/core';
import type { Scenario } from './scenario.js';

export const SEED_GRAVITY = [0, -9.81, 0] as const;

/**
 * The seed's benchmark: free fall of a line of particles, position (0,0,i), velocity (1,0,0).
 *
 * It declares no conserved quantity. Uniform gravity breaks both momenta, and semi-implicit Euler
 * does not keep the energy of free fall: every step loses ½·m·g²·dt² (per particle), so after the
 * default 1000 steps the drift is ~10× the initial |kinetic| + |potential|. Its check is the exact
 * discrete formula x_n = x_0 + n·v_0·dt + g·dt²·n(n+1)/2 instead (see the CLI tests).
 */
export const seed: Scenario = {
  name: 'seed',
  summary: 'free fall under uniform gravity, N particles at (0,0,i) moving along x (the seed benchmark)',
  defaults: { steps: 1000, dt: 0.01, particles: 10_000, integrator: 'euler' },
  fixedParticles: false,
  tolerances: {},
  system: ({ integrator }) => defineSystem({ integrator, rules: [uniformGravity({ g: SEED_GRAVITY })], conserves: [] }),
  state: ({ particles }) => {
    // Straight into the columns (mass 1, the rest 0): the CLI may ask for millions.
    const state = ParticleState.create(particles);
    for (let i = 0; i < particles; i++) state.pz[i] = i;
    state.vx.fill(1);
    return state;
  },
};
