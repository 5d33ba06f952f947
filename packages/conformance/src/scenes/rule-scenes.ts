import {
  bondForce,
  bounds,
  collisions,
  drag,
  externalForce,
  field,
  pairForce,
  pairwiseGravity,
  ParticleState,
  periodic,
  uniformGravity,
  type Rule,
  type RuleKind,
} from '@brokenrecord/core';
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

/**
 * perAxis³ particles on a cubic lattice of `spacing` from `origin` (a half spacing in), each moved
 * by up to ±jitter, with Gaussian velocities of `speed` per component and the attributes the
 * expression scenes read: sigma, epsilon (Lennard-Jones mixing) and q (a charge).
 */
function jitteredLattice(
  seed: number,
  perAxis: number,
  spacing: number,
  options: { jitter?: number; speed?: number; origin?: number } = {},
): ParticleState {
  const { jitter = 0.08, speed = 0.5, origin = 0 } = options;
  const random = new Random(seed);
  const position: number[][] = [];
  for (let i = 0; i < perAxis; i++) {
    for (let j = 0; j < perAxis; j++) {
      for (let k = 0; k < perAxis; k++) position.push([i, j, k].map((c) => origin + (c + 0.5) * spacing + random.uniform(-jitter, jitter)));
    }
  }
  return ParticleState.from({
    position,
    velocity: position.map(() => [random.gaussian() * speed, random.gaussian() * speed, random.gaussian() * speed]),
    mass: position.map(() => random.uniform(0.5, 2)),
    attributes: {
      sigma: position.map(() => random.uniform(0.85, 1.05)),
      epsilon: position.map(() => random.uniform(0.5, 1.5)),
      q: position.map(() => random.uniform(-1, 1)),
    },
  });
}

const LJ_MIXING = '4*eps*((sig/r)^12 - (sig/r)^6); sig = 0.5*(sigma1 + sigma2); eps = sqrt(epsilon1*epsilon2)';
/** Sixteen chains of four along x in the 4×4×4 lattice: particles i·16 + row, i = 0..3, for each of the 16 rows. */
const CHAINS: [number, number][] = [];
for (let row = 0; row < 16; row++) for (let i = 0; i < 3; i++) CHAINS.push([i * 16 + row, (i + 1) * 16 + row]);

/** Scenes of the rules written as expressions, the same way: each rule at work within a few dozen steps. */
export function expressionRuleScenes(): RuleScene[] {
  return [
    {
      name: 'pairForce (Lennard-Jones, per-particle σ and ε, cutoff 2.5, shift)',
      kinds: ['pairForce'],
      rules: [pairForce({ energy: LJ_MIXING, perParticle: ['sigma', 'epsilon'], cutoff: 2.5, shift: true })],
      state: jitteredLattice(21, 4, 1.12, { jitter: 0.12 }),
      dt: 0.002,
    },
    {
      name: 'pairForce (all pairs, softened charges)',
      kinds: ['pairForce'],
      rules: [pairForce({ energy: 'k*q1*q2/sqrt(r^2 + a^2)', perParticle: ['q'], parameters: { k: 2, a: 0.1 } })],
      state: jitteredLattice(22, 4, 0.5, { jitter: 0.1, speed: 0.2 }),
      dt: 0.002,
    },
    {
      name: 'bondForce (sixteen chains, per-bond stiffness, FENE-like)',
      kinds: ['bondForce'],
      rules: [
        bondForce({
          energy: '-0.5*k*R^2*log(1 - ((r - 1)/R)^2)',
          bonds: CHAINS,
          perBond: { k: CHAINS.map((_, b) => 20 + (b % 5) * 5) },
          parameters: { R: 0.5 },
        }),
      ],
      state: jitteredLattice(23, 4, 1, { jitter: 0.1 }),
      dt: 0.005,
    },
    {
      name: 'externalForce (anharmonic trap with a charge in a field)',
      kinds: ['externalForce'],
      rules: [
        externalForce({
          energy: '0.5*k*(x^2 + y^2 + z^2) + c*(x^4 + y^4) - q*E*z',
          perParticle: ['q'],
          parameters: { k: 3, c: 0.2, E: 2 },
        }),
      ],
      state: jitteredLattice(24, 4, 0.6, { origin: -1.2 }),
      dt: 0.01,
    },
    {
      name: 'field (magnetic q·v×B/m with a time-dependent electric field)',
      kinds: ['field'],
      rules: [
        field({
          acceleration: ['q*(vy*Bz - vz*By)/m + q*E*cos(w*t)/m', 'q*(vz*Bx - vx*Bz)/m', 'q*(vx*By - vy*Bx)/m - 0.1*vz'],
          perParticle: ['q'],
          parameters: { Bx: 0.5, By: -1, Bz: 2, E: 1.5, w: 4 },
        }),
      ],
      state: jitteredLattice(25, 4, 0.6, { speed: 1 }),
      dt: 0.01,
    },
    {
      name: 'periodic (Lennard-Jones liquid in a box, cutoff 2.2)',
      kinds: ['pairForce', 'periodic'],
      rules: [
        pairForce({ energy: '4*((1/r)^12 - (1/r)^6)', cutoff: 2.2, shift: true }),
        periodic({ min: [0, 0, 0], max: [4.6, 4.6, 4.6] }),
      ],
      state: jitteredLattice(26, 4, 1.15, { speed: 1.2 }),
      dt: 0.002,
    },
    {
      name: 'every expression kind together (periodic, with drag)',
      kinds: ['pairForce', 'bondForce', 'externalForce', 'field', 'periodic', 'drag'],
      rules: [
        pairForce({ energy: LJ_MIXING, perParticle: ['sigma', 'epsilon'], cutoff: 2.25, shift: true, exclude: 'bonds' }),
        bondForce({ energy: '0.5*k*(r - r0)^2', bonds: CHAINS, parameters: { k: 60, r0: 1.1 } }),
        // Periodic in the box (period 4.6), so the potential is continuous across the wrap.
        externalForce({
          energy: 'A*cos(2*pi*x/L)*(1 + 0.3*sin(w*t)) + q*A*sin(2*pi*y/L)',
          perParticle: ['q'],
          parameters: { A: 0.4, pi: Math.PI, L: 4.6, w: 5 },
        }),
        field({ acceleration: ['q*vy*B/m', '-q*vx*B/m', '0'], perParticle: ['q'], parameters: { B: 1.5 } }),
        periodic({ min: [0, 0, 0], max: [4.6, 4.6, 4.6] }),
        drag({ k: 0.05 }),
      ],
      state: jitteredLattice(27, 4, 1.15, { speed: 1 }),
      dt: 0.002,
    },
  ];
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
