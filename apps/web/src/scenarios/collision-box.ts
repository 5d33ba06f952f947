import { bounds, collisions, defineSystem, ParticleState } from '@brokenrecord/core';
import type { Scenario } from './scenario';

const RADIUS = 0.5;
/** Sparse enough that three-body contacts (which cost energy, see docs/physics.md) stay rare. */
const PACKING = 0.02;
const MAX_SPEED = 1;

/** Edge of the cube holding n spheres at the chosen packing fraction. */
export function boxSize(particles: number): number {
  return Math.cbrt((particles * (4 / 3) * Math.PI * RADIUS ** 3) / PACKING);
}

/** n elastic spheres in a closed box, no gravity: kinetic energy is what is conserved. */
export const collisionBox: Scenario = {
  name: 'collision-box',
  summary: 'n elastic spheres (radius 0.5) bouncing in a closed box without gravity (e = 1)',
  dt: 0.01,
  defaultParticles: 1000,
  fixedParticles: false,
  maxParticles: 100_000,
  system: (particles) => {
    const size = boxSize(particles);
    return defineSystem({
      integrator: 'euler',
      rules: [collisions({ restitution: 1 }), bounds({ min: [0, 0, 0], max: [size, size, size], restitution: 1 })],
      conserves: ['energy'],
    });
  },
  state: (particles, random) => {
    const size = boxSize(particles);
    // A jittered cubic lattice: one sphere per cell, so none overlap at the start.
    const perSide = Math.ceil(Math.cbrt(particles));
    const cell = size / perSide;
    const jitter = Math.max(0, (cell - 2 * RADIUS) / 2);
    const position: number[][] = [];
    const velocity: number[][] = [];
    for (let i = 0; i < particles; i++) {
      const lattice = [i % perSide, Math.floor(i / perSide) % perSide, Math.floor(i / perSide ** 2)];
      position.push(lattice.map((k) => (k + 0.5) * cell + random.uniform(-jitter, jitter)));
      velocity.push([0, 0, 0].map(() => random.uniform(-MAX_SPEED, MAX_SPEED)));
    }
    return ParticleState.from({ position, velocity, mass: 1, radius: RADIUS });
  },
};
