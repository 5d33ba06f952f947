import { defineSystem, pairwiseGravity, ParticleState } from '@brokenrecord/core';
import type { SeededRandom } from '../random';
import type { Scenario } from './scenario';

/** Beyond this many scale radii a drawn radius is redrawn (the Plummer tail is infinite). */
const CUTOFF = 10;
const SOFTENING = 0.05;

/**
 * A Plummer sphere (total mass 1, scale radius 1, G = 1) sampled as Aarseth, Hénon & Wielen (1974)
 * do, so it starts near virial equilibrium and stays put on screen.
 */
export const cluster: Scenario = {
  name: 'cluster',
  summary: 'a self-gravitating Plummer sphere of n equal masses near virial equilibrium (softened gravity, verlet)',
  dt: 0.005,
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
    const position: number[][] = [];
    const velocity: number[][] = [];
    for (let i = 0; i < particles; i++) {
      const r = plummerRadius(random);
      const speed = speedFraction(random) * Math.SQRT2 * (1 + r * r) ** -0.25;
      position.push(random.unitVector().map((c) => c * r));
      velocity.push(random.unitVector().map((c) => c * speed));
    }
    centre(position);
    centre(velocity);
    return ParticleState.from({ position, velocity, mass: 1 / particles });
  },
};

function plummerRadius(random: SeededRandom): number {
  for (;;) {
    const u = random.next();
    if (u === 0) continue;
    const r = 1 / Math.sqrt(u ** (-2 / 3) - 1);
    if (r <= CUTOFF) return r;
  }
}

/** q = v / v_escape from g(q) = q²(1 − q²)^{7/2} by rejection (g stays below 0.1). */
function speedFraction(random: SeededRandom): number {
  for (;;) {
    const q = random.next();
    if (random.uniform(0, 0.1) < q * q * (1 - q * q) ** 3.5) return q;
  }
}

/** Equal masses: subtracting the mean moves to the centre-of-mass frame. */
function centre(vectors: number[][]): void {
  for (let c = 0; c < 3; c++) {
    const mean = vectors.reduce((s, v) => s + v[c], 0) / vectors.length;
    for (const v of vectors) v[c] -= mean;
  }
}
