import { defineSystem, pairwiseGravity, ParticleState } from '@brokenrecord/core';
import type { Scenario } from './scenario';

const CENTRAL_MASS = 1e4;
/** 1% of the centre: orbits stay near-Keplerian while the disc still self-gravitates. */
const DISC_MASS = 100;
const INNER_RADIUS = 20;
const OUTER_RADIUS = 100;
const HALF_THICKNESS = 1;
const SOFTENING = 0.5;

/** A central mass and n orbiters in a thin disc, each on the circular orbit of the mass inside it. */
export const galaxy: Scenario = {
  name: 'galaxy',
  summary: 'a central mass of 1e4 and n orbiters on near-circular orbits in a thin disc (softened gravity, verlet)',
  dt: 0.01,
  defaultParticles: 1000,
  fixedParticles: false,
  maxParticles: 20_000,
  system: () =>
    defineSystem({
      integrator: 'verlet',
      rules: [pairwiseGravity({ G: 1, softening: SOFTENING })],
      conserves: ['energy', 'momentum', 'angularMomentum'],
    }),
  state: (particles, random) => {
    const m = DISC_MASS / particles;
    // Uniform surface density; sorted so each orbiter knows the mass inside its radius.
    const radii = Array.from({ length: particles }, () => Math.sqrt(random.uniform(INNER_RADIUS ** 2, OUTER_RADIUS ** 2))).sort(
      (a, b) => a - b,
    );
    const position: number[][] = [[0, 0, 0]];
    const velocity: number[][] = [[0, 0, 0]];
    const momentum = [0, 0, 0];
    radii.forEach((r, k) => {
      const angle = random.uniform(0, 2 * Math.PI);
      const z = random.uniform(-HALF_THICKNESS, HALF_THICKNESS);
      const d2 = r * r + z * z + SOFTENING * SOFTENING;
      // Softened circular speed: v² = G·M·r² / (r² + z² + ε²)^{3/2}.
      const speed = Math.sqrt(((CENTRAL_MASS + k * m) * r * r) / (d2 * Math.sqrt(d2)));
      const v = [-speed * Math.sin(angle), speed * Math.cos(angle), 0];
      position.push([r * Math.cos(angle), r * Math.sin(angle), z]);
      velocity.push(v);
      for (let c = 0; c < 3; c++) momentum[c] += m * v[c];
    });
    // The centre recoils so the total momentum is zero and the disc does not drift off screen.
    velocity[0] = momentum.map((p) => -p / CENTRAL_MASS);
    return ParticleState.from({ position, velocity, mass: [CENTRAL_MASS, ...radii.map(() => m)] });
  },
};
