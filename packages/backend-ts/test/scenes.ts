import {
  bondForce,
  checkState,
  collisions,
  drag,
  externalForce,
  field,
  pairForce,
  periodic,
  ParticleState,
  uniformGravity,
  type Integrator,
  type Rule,
  type SystemDefinition,
} from '@brokenrecord/core';
import type { TsBackendOptions } from '../dist/index.js';
import { closestToCutoff } from './expression-helpers.js';
import { createContext, prng } from './helpers.js';

/** Scenes for the expression-rule tests: small clouds with attributes, and a system using every kind. */

export const LJ_MIXED = '4*eps*((sig/r)^12 - (sig/r)^6); sig = 0.5*(sigma1 + sigma2); eps = sqrt(epsilon1*epsilon2)';

/**
 * `n` particles in [0, side)³, no two closer than `gap` (random sequential placement), with small
 * random velocities and attributes q (±1), sigma (0.9–1.1), epsilon (0.5–1.5), and mass 0.5–2.
 */
export function cloud(n: number, side: number, seed: number, gap = 0.95, speed = 0.5): ParticleState {
  const rand = prng(seed);
  const position: number[][] = [];
  while (position.length < n) {
    const p = [rand() * side, rand() * side, rand() * side];
    const far = position.every((q) => {
      const d = q.map((v, k) => {
        const raw = v - p[k];
        return raw - side * Math.round(raw / side);
      });
      return Math.hypot(d[0], d[1], d[2]) >= gap;
    });
    if (far) position.push(p);
  }
  return ParticleState.from({
    position,
    velocity: position.map(() => [(2 * rand() - 1) * speed, (2 * rand() - 1) * speed, (2 * rand() - 1) * speed]),
    mass: position.map(() => 0.5 + 1.5 * rand()),
    attributes: {
      q: position.map(() => (rand() < 0.5 ? -1 : 1)),
      sigma: position.map(() => 0.9 + 0.2 * rand()),
      epsilon: position.map(() => 0.5 + rand()),
    },
  });
}

export const chain = (n: number): [number, number][] => Array.from({ length: n - 1 }, (_, k) => [k, k + 1]);

/**
 * A cloud whose pairs all sit at least `margin` from the cutoff (nearest image in a box of
 * `side`), so central differences of the truncated energy never straddle its jump: the first such
 * configuration from `seed` on.
 */
export function awayFromCutoff(n: number, side: number, seed: number, cutoff: number, periodicBox: boolean, margin = 3e-4): ParticleState {
  for (let k = 0; ; k++) {
    const s = cloud(n, side, seed + 1000 * k);
    if (closestToCutoff(s, cutoff, periodicBox ? [side, side, side] : null) > margin) return s;
  }
}

/** Every kind at once, each in the role it can have: what the generated and interpreted kernels must agree on. */
export function everything(integrator: Integrator, withBox: boolean): Rule[] {
  return [
    uniformGravity({ g: [0, -0.5, 0] }),
    drag({ k: 0.05 }),
    pairForce({ energy: LJ_MIXED, perParticle: ['sigma', 'epsilon'], cutoff: 2.5, shift: true, exclude: 'bonds' }),
    pairForce({ energy: '0.2*q1*q2*erfc(0.8*r)/r', perParticle: ['q'], cutoff: 2.6 }),
    ...(withBox ? [] : [pairForce({ energy: '0.01*q1*q2/r', perParticle: ['q'] })]),
    externalForce({ energy: '0.05*(x^2 + y^2 + z^2)*(1 + 0.1*sin(t))' }),
    field({ acceleration: ['0.3*q*vy/m', '-0.3*q*vx/m', '0.01*cos(t)*select(step(x - 4), 1, -1)'], perParticle: ['q'] }),
    field({ acceleration: ['0', '0', '-0.01*z*radius'] }),
    bondForce({
      energy: '0.5*k*(r - r0)^2',
      bonds: ROW_BONDS,
      perBond: { k: Array(ROW_BONDS.length).fill(30), r0: ROW_BONDS.map((_, b) => 1.3 + 0.01 * b) },
    }),
    bondForce({
      energy: 'k*(r - 1.2)^4',
      group: 'extra',
      bonds: [
        [40, 41],
        [41, 47],
        [50, 56],
      ],
      parameters: { k: 5 },
    }),
    ...(withBox ? [periodic({ min: [0, 0, 0], max: [8, 8, 8] })] : []),
    ...(integrator === 'verlet' ? [] : [collisions({ restitution: 0.9 })]),
  ];
}

/** Bonds between neighbours along x in the first rows of everythingState's lattice (index x + 6y + 36z). */
export const ROW_BONDS: [number, number][] = [0, 1, 2].flatMap((row) =>
  [0, 1, 2, 3, 4].map((x): [number, number] => [6 * row + x, 6 * row + x + 1]),
);

/** 6³ jittered lattice sites filling [0, 8)³ (spacing 4/3), radius 0.3, random velocities and attributes. */
export function everythingState(): ParticleState {
  const rand = prng(11);
  const a = 8 / 6;
  const position: number[][] = [];
  for (let z = 0; z < 6; z++)
    for (let y = 0; y < 6; y++) for (let x = 0; x < 6; x++) position.push([x, y, z].map((c) => (c + 0.5) * a + 0.2 * (rand() - 0.5)));
  return ParticleState.from({
    position,
    velocity: position.map(() => [rand() - 0.5, rand() - 0.5, rand() - 0.5]),
    mass: position.map(() => 0.5 + rand()),
    radius: 0.3,
    attributes: {
      q: position.map(() => (rand() < 0.5 ? -1 : 1)),
      sigma: position.map(() => 0.9 + 0.2 * rand()),
      epsilon: position.map(() => 0.5 + rand()),
    },
  });
}

/** Steps a copy of `start` (bonds installed as createSimulation does) in calls of `chunks` steps, passing the step count. */
export async function stepped(
  system: SystemDefinition,
  start: ParticleState,
  steps: number,
  options: TsBackendOptions,
  chunks = [steps],
): Promise<ParticleState> {
  const state = start.clone({ shared: false });
  checkState(state, system);
  const ctx = await createContext(system, state, options);
  try {
    let done = 0;
    for (const n of chunks) {
      ctx.step(n, done);
      done += n;
    }
  } finally {
    await ctx.dispose();
  }
  return state;
}
