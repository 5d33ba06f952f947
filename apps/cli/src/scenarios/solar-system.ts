import { defineSystem, pairwiseGravity, ParticleState } from '@brokenrecord/core';
import type { Scenario } from './scenario.js';

/**
 * G = 1: a sun of mass 1000 (radius 5) and three bodies on near-circular orbits in the xy plane.
 * The sun moves at (0, −0.03125, 0) so that the total momentum is exactly zero (31.25 − 31.25).
 * No softening: the bodies never come close, and the orbits are then exactly Keplerian.
 */
export const solarSystem: Scenario = {
  name: 'solar-system',
  summary: 'a sun and three bodies on near-circular orbits (G = 1, verlet)',
  defaults: { steps: 100_000, dt: 0.01, particles: 4, integrator: 'verlet' },
  fixedParticles: true,
  // Verlet keeps these up to float32 rounding, which random-walks: measured ~1e-5 after 1e5 and
  // 1e6 steps, so 1e-4 leaves room without hiding a real leak.
  tolerances: { energy: 1e-4, momentum: 1e-4, angularMomentum: 1e-4 },
  system: ({ integrator }) =>
    defineSystem({
      integrator,
      rules: [pairwiseGravity({ G: 1 })],
      conserves: ['energy', 'momentum', 'angularMomentum'],
    }),
  state: () =>
    ParticleState.from({
      position: [
        [0, 0, 0],
        [50, 0, 0],
        [80, 0, 0],
        [150, 0, 0],
      ],
      velocity: [
        [0, -0.03125, 0],
        [0, 4.5, 0],
        [0, 3.5, 0],
        [0, 2.5, 0],
      ],
      mass: [1000, 1, 0.5, 10],
      radius: [5, 0, 0, 0],
    }),
};
