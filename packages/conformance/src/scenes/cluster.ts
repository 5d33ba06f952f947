import { ParticleState } from '@brokenrecord/core';
import { Random } from '../helpers/random.js';

/**
 * A self-gravitating cluster: `n` particles uniformly in a ball, masses varying by a factor three
 * and summing to `totalMass`, Gaussian velocities near virial equilibrium (2K ≈ |U| for G = 1), plus
 * an optional bulk velocity and spin so that total momentum and angular momentum are not zero.
 */
export function randomCluster(
  seed: number,
  n: number,
  options: { radius?: number; totalMass?: number; bulk?: [number, number, number]; spin?: number } = {},
): ParticleState {
  const { radius = 1, totalMass = 1, bulk = [0, 0, 0], spin = 0 } = options;
  const random = new Random(seed);
  const raw = Array.from({ length: n }, () => random.uniform(0.5, 1.5));
  const sum = raw.reduce((a, b) => a + b, 0);
  const mass = raw.map((m) => (m * totalMass) / sum);
  // A uniform ball has U = −(3/5)·G·M²/R; virial equilibrium puts 2K = |U|, i.e. a velocity
  // dispersion per component σ² = (1/5)·G·M/R.
  const sigma = Math.sqrt((0.2 * totalMass) / radius);
  const position: number[][] = [];
  const velocity: number[][] = [];
  for (let i = 0; i < n; i++) {
    const p = random.inBall(radius);
    position.push(p);
    velocity.push([
      bulk[0] + sigma * random.gaussian() - spin * p[1],
      bulk[1] + sigma * random.gaussian() + spin * p[0],
      bulk[2] + sigma * random.gaussian(),
    ]);
  }
  return ParticleState.from({ position, velocity, mass });
}
