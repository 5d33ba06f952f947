import { defineSystem, pairwiseGravity, ParticleState } from '@brokenrecord/core';
import type { Scenario } from './scenario';

/** G = 1: a sun of mass 1000 and three bodies on near-circular orbits; total momentum exactly zero. */
export const solarSystem: Scenario = {
  name: 'solar-system',
  summary: 'a sun and three bodies on near-circular orbits (G = 1, verlet)',
  dt: 0.01,
  defaultParticles: 4,
  fixedParticles: true,
  maxParticles: 4,
  system: () =>
    defineSystem({ integrator: 'verlet', rules: [pairwiseGravity({ G: 1 })], conserves: ['energy', 'momentum', 'angularMomentum'] }),
  state: () =>
    ParticleState.from({
      position: [[0, 0, 0], [50, 0, 0], [80, 0, 0], [150, 0, 0]],
      velocity: [[0, -0.03125, 0], [0, 4.5, 0], [0, 3.5, 0], [0, 2.5, 0]],
      mass: [1000, 1, 0.5, 10],
      radius: [5, 0, 0, 0],
    }),
};
