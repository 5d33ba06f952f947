import { bounds, collisions, drag, pairwiseGravity, ParticleState, uniformGravity, type Rule, type RuleKind } from '@brokenrecord/core';
import { Random } from '../helpers/random.js';
import { randomCluster } from './cluster.js';

/**
 * Small scenes, one per rule kind plus one with every rule, in which that rule does real work
 * within a few dozen steps: the agreement cases run each on the backend and on the reference.
 */
export interface RuleScene {
  name: string;
  kinds: RuleKind[];
  rules: Rule[];
  state: ParticleState;
  dt: number;
}

const BOX = { min: [-2, -2, -2] as [number, number, number], max: [2, 2, 2] as [number, number, number] };

/** Spheres packed into the box with random velocities: many contacts and wall hits per step. */
function crowdedBox(seed: number, n: number): ParticleState {
  const random = new Random(seed);
  const radius = Array.from({ length: n }, () => random.uniform(0.15, 0.35));
  return ParticleState.from({
    position: radius.map((r) => [0, 1, 2].map((k) => random.uniform(BOX.min[k] + r, BOX.max[k] - r))),
    velocity: radius.map(() => [random.gaussian() * 2, random.gaussian() * 2, random.gaussian() * 2]),
    mass: radius.map((r) => 4 * r ** 3),
    radius,
  });
}

export function ruleScenes(): RuleScene[] {
  return [
    {
      name: 'uniformGravity',
      kinds: ['uniformGravity'],
      rules: [uniformGravity({ g: [0.3, -9.81, 0.7] })],
      state: randomCluster(11, 64, { bulk: [1, 2, 3] }),
      dt: 0.01,
    },
    {
      name: 'pairwiseGravity',
      kinds: ['pairwiseGravity'],
      rules: [pairwiseGravity({ G: 1.5, softening: 0.05 })],
      state: randomCluster(12, 64, { spin: 0.3 }),
      dt: 0.005,
    },
    {
      name: 'collisions',
      kinds: ['collisions'],
      rules: [collisions({ restitution: 0.8 })],
      state: crowdedBox(13, 64),
      dt: 0.01,
    },
    {
      name: 'bounds',
      kinds: ['bounds'],
      rules: [bounds({ ...BOX, restitution: 0.7 })],
      state: crowdedBox(14, 64),
      dt: 0.02,
    },
    {
      name: 'drag',
      kinds: ['drag'],
      rules: [drag({ k: 0.8 })],
      state: randomCluster(15, 64, { bulk: [2, -1, 0.5] }),
      dt: 0.01,
    },
    {
      name: 'every rule together',
      kinds: ['uniformGravity', 'pairwiseGravity', 'collisions', 'bounds', 'drag'],
      rules: [
        uniformGravity({ g: [0, -3, 0] }),
        pairwiseGravity({ G: 0.5, softening: 0.1 }),
        collisions({ restitution: 0.9 }),
        bounds({ ...BOX, restitution: 0.9 }),
        drag({ k: 0.1 }),
      ],
      state: crowdedBox(16, 64),
      dt: 0.01,
    },
  ];
}
