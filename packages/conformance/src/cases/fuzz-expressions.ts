import {
  bondForce,
  createSimulation,
  defineSystem,
  externalForce,
  field,
  pairForce,
  periodic,
  ParticleState,
  SimulationDivergedError,
  type Rule,
  type RuleKind,
  type Simulation,
  type SystemDefinition,
} from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import { SLOW_CASE_TIMEOUT, type SuiteContext } from '../context.js';
import { Random } from '../helpers/random.js';
import { randomTree, type Variable } from './random-expression.js';

/**
 * Differential fuzz of the rules written as expressions: random systems of pairForce (with and
 * without cutoff), externalForce, field and bondForce rules whose expressions are random trees over
 * the language's functions and each rule's variables (random-expression.ts), in open and periodic
 * boxes, stepped on the backend under test and on the reference, compared after every step call.
 *
 * Before a system is compared, the reference must show it is fit for a comparison at AGREEMENT:
 * the run stays finite and moderate, and a second reference run from a state one float32 ulp
 * away (every position and velocity nudged) stays within a tenth of AGREEMENT, so rounding
 * differences between backends cannot explain a failure. Systems that fail this are rejected
 * (counted, not compared). Each rule is scaled so that its largest acceleration at the start is
 * O(1–10), which makes a wrong force visible in the states within a few steps.
 *
 * Seeded and replayable: BROKENRECORD_FUZZ_SEED (shared with the call-sequence fuzz; each system
 * k uses seed + k), BROKENRECORD_FUZZ_SYSTEMS (count), BROKENRECORD_FUZZ_SYSTEM_SECONDS (an
 * optional time cap for long local soaks). Which systems run depends on the seed and the count
 * only, never on how fast the machine is: a backend that compiles code per system (native C++,
 * CUDA host, WGSL) runs fewer by default so the suite stays cheap.
 */
const DEFAULT_SEED = 20261201;
const AGREEMENT = 1e-5;
const EXPRESSION_KINDS = ['pairForce', 'externalForce', 'field', 'bondForce'] as const satisfies readonly RuleKind[];
type ExpressionKind = (typeof EXPRESSION_KINDS)[number];
const BOX = 3;

/** Systems per backend by default: ts evaluates generated JavaScript at once; the others compile per system. */
const DEFAULT_SYSTEMS = (backend: string): number => (backend === 'ts' ? 40 : 10);

function settings(backend: string, env = process.env): { seed: number; systems: number; seconds: number } {
  const raw = env.BROKENRECORD_FUZZ_SEED;
  const seed = raw === 'random' ? Date.now() % 2 ** 31 : raw ? Number(raw) : DEFAULT_SEED;
  const systems = Number(env.BROKENRECORD_FUZZ_SYSTEMS ?? DEFAULT_SYSTEMS(backend));
  const seconds = env.BROKENRECORD_FUZZ_SYSTEM_SECONDS === undefined ? Infinity : Number(env.BROKENRECORD_FUZZ_SYSTEM_SECONDS);
  if (!Number.isInteger(seed) || !(systems >= 1) || !(seconds > 0)) {
    throw new TypeError('BROKENRECORD_FUZZ_SEED must be an integer or "random"; _SYSTEMS ≥ 1; _SYSTEM_SECONDS > 0');
  }
  return { seed, systems, seconds };
}

/** A rule before scaling: rebuilt with every expression multiplied by `scale`. */
interface RuleMaker {
  kind: ExpressionKind;
  describe: string;
  make(scale: number): Rule;
}

const PARAMETERS: Readonly<Record<string, number>> = { alpha: 0.7, beta: -1.3 };
const staticVar = (name: string, bound: number): Variable => ({ name, bound, dynamic: false });
const dynamicVar = (name: string, bound: number): Variable => ({ name, bound, dynamic: true });
const PARAMETER_VARS = Object.entries(PARAMETERS).map(([name, v]) => staticVar(name, Math.abs(v)));

function used(names: readonly string[], uses: ReadonlySet<string>, suffixes: readonly string[] = ['']): string[] {
  return names.filter((n) => suffixes.some((s) => uses.has(`${n}${s}`)));
}

function parametersUsed(uses: ReadonlySet<string>): Record<string, number> | undefined {
  const entries = Object.entries(PARAMETERS).filter(([n]) => uses.has(n));
  return entries.length ? Object.fromEntries(entries) : undefined;
}

const scaled = (scale: number, text: string): string => `${scale.toPrecision(6)}*(${text})`;
const depth = (rng: Random) => 1 + rng.int(4);

/**
 * Pair potentials read the two particles' columns only in symmetric combinations: U(i, j) = U(j, i),
 * as a pair potential must be for the momentum and energy the rule declares to hold (each
 * backend may then evaluate a pair from either side, or once for both).
 */
const PAIR_COMBINATIONS: readonly Variable[] = [
  { name: '(m1 + m2)', reads: ['m1', 'm2'], bound: 4, dynamic: false },
  { name: '(m1*m2)', reads: ['m1', 'm2'], bound: 4, dynamic: false },
  { name: '(q1*q2)', reads: ['q1', 'q2'], bound: 1, dynamic: false },
  { name: '(w1 + w2)', reads: ['w1', 'w2'], bound: 3, dynamic: false },
  { name: 'sqrt(w1*w2)', reads: ['w1', 'w2'], bound: 1.5, dynamic: false },
];

function pairMaker(rng: Random, cutoff: number | null, excludeBonds: boolean): RuleMaker {
  const tree = randomTree(rng, {
    variables: [dynamicVar('r', cutoff ?? 2 * BOX), ...PAIR_COMBINATIONS, ...PARAMETER_VARS],
    maxDepth: depth(rng),
    differentiated: true,
  });
  // Smoothly to 0 at the cutoff with its derivative, so no force jumps when a pair crosses it.
  const energy = cutoff === null ? tree.text : `(${tree.text})*(1 - (r/${cutoff})^2)^2`;
  const perParticle = used(['q', 'w'], tree.uses, ['1', '2']);
  const parameters = parametersUsed(tree.uses);
  return {
    kind: 'pairForce',
    describe: `pairForce(${energy}; cutoff ${cutoff}${excludeBonds ? ', exclude bonds' : ''})`,
    make: (scale) =>
      pairForce({
        energy: scaled(scale, energy),
        cutoff,
        ...(perParticle.length ? { perParticle } : {}),
        ...(parameters ? { parameters } : {}),
        ...(excludeBonds ? { exclude: 'bonds' as const } : {}),
      }),
  };
}

function bondMaker(rng: Random, n: number, group: string): RuleMaker {
  const two = (name: string, b: number) => [staticVar(`${name}1`, b), staticVar(`${name}2`, b)];
  const tree = randomTree(rng, {
    variables: [dynamicVar('r', 2 * BOX), staticVar('k', 2), ...two('m', 2), ...two('q', 1), ...PARAMETER_VARS],
    maxDepth: depth(rng),
    differentiated: true,
  });
  const bonds: [number, number][] = [];
  for (let b = 0; b < 1 + rng.int(n); b++) {
    const i = rng.int(n);
    const j = (i + 1 + rng.int(n - 1)) % n;
    bonds.push([i, j]);
  }
  const k = bonds.map(() => Math.round(rng.uniform(0.5, 2) * 100) / 100);
  const perParticle = used(['q'], tree.uses, ['1', '2']);
  const parameters = parametersUsed(tree.uses);
  return {
    kind: 'bondForce',
    describe: `bondForce(${tree.text}; bonds ${JSON.stringify(bonds)}, k ${JSON.stringify(k)})`,
    make: (scale) =>
      bondForce({
        energy: scaled(scale, tree.text),
        bonds,
        perBond: { k },
        group,
        ...(perParticle.length ? { perParticle } : {}),
        ...(parameters ? { parameters } : {}),
      }),
  };
}

const PARTICLE_STATIC = [
  staticVar('t', 1),
  staticVar('m', 2),
  staticVar('q', 1),
  staticVar('w', 1.5),
  staticVar('radius', 0),
  ...PARAMETER_VARS,
];

function externalMaker(rng: Random): RuleMaker {
  const tree = randomTree(rng, {
    variables: [dynamicVar('x', BOX), dynamicVar('y', BOX), dynamicVar('z', BOX), ...PARTICLE_STATIC],
    maxDepth: depth(rng),
    differentiated: true,
  });
  const perParticle = used(['q', 'w'], tree.uses);
  const parameters = parametersUsed(tree.uses);
  return {
    kind: 'externalForce',
    describe: `externalForce(${tree.text})`,
    make: (scale) =>
      externalForce({
        energy: scaled(scale, tree.text),
        ...(perParticle.length ? { perParticle } : {}),
        ...(parameters ? { parameters } : {}),
      }),
  };
}

function fieldMaker(rng: Random): RuleMaker {
  const variables = [
    dynamicVar('x', BOX),
    dynamicVar('y', BOX),
    dynamicVar('z', BOX),
    ...['vx', 'vy', 'vz'].map((v) => dynamicVar(v, 4)),
    ...PARTICLE_STATIC,
  ];
  const trees = [0, 1, 2].map(() => randomTree(rng, { variables, maxDepth: depth(rng), differentiated: false }));
  const uses = new Set(trees.flatMap((t) => [...t.uses]));
  const perParticle = used(['q', 'w'], uses);
  const parameters = parametersUsed(uses);
  return {
    kind: 'field',
    describe: `field(${trees.map((t) => t.text).join(', ')})`,
    make: (scale) =>
      field({
        acceleration: trees.map((t) => scaled(scale, t.text)) as [string, string, string],
        ...(perParticle.length ? { perParticle } : {}),
        ...(parameters ? { parameters } : {}),
      }),
  };
}

/** Up to `n` particles in ±1.5, at least 0.5 apart, with attribute columns q and w. */
function randomState(rng: Random, n: number): ParticleState {
  const position: [number, number, number][] = [];
  for (let tries = 0; position.length < n && tries < 400; tries++) {
    const p: [number, number, number] = [rng.uniform(-1.5, 1.5), rng.uniform(-1.5, 1.5), rng.uniform(-1.5, 1.5)];
    if (position.every((q) => Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]) > 0.5)) position.push(p);
  }
  return ParticleState.from({
    position,
    velocity: position.map(() => [rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1)]),
    mass: position.map(() => rng.uniform(0.5, 2)),
    attributes: { q: position.map(() => rng.uniform(-1, 1)), w: position.map(() => rng.uniform(0.5, 1.5)) },
  });
}

/** One float32 ulp up or down (the neighbouring float32 value) on every position and velocity. */
function nudged(state: ParticleState, rng: Random): ParticleState {
  const s = state.clone();
  const bits = new Int32Array(1);
  const value = new Float32Array(bits.buffer);
  for (const c of [s.px, s.py, s.pz, s.vx, s.vy, s.vz]) {
    for (let i = 0; i < c.length; i++) {
      value[0] = c[i]!;
      if (value[0] === 0) continue;
      bits[0] += rng.next() < 0.5 ? -1 : 1; // adjacent magnitude, same sign
      c[i] = value[0];
    }
  }
  return s;
}

interface Difference {
  worst: number;
  where: string;
}

/** Largest difference of positions (nearest image in a periodic box) and velocities, relative to max(1, the column's magnitude). */
function difference(a: ParticleState, b: ParticleState, box: number | null): Difference {
  let worst = 0;
  let where = '';
  for (const name of ['px', 'py', 'pz', 'vx', 'vy', 'vz'] as const) {
    const [x, y] = [a.column(name), b.column(name)];
    let scale = 1;
    for (let i = 0; i < y.length; i++) scale = Math.max(scale, Math.abs(y[i]!));
    for (let i = 0; i < y.length; i++) {
      let d = Math.abs(x[i]! - y[i]!);
      if (box !== null && name.startsWith('p')) d = Math.min(d, Math.abs(box - d));
      const rel = Number.isNaN(d) ? Infinity : d / scale;
      if (rel > worst) {
        worst = rel;
        where = `${name}[${i}] = ${x[i]}, reference ${y[i]}`;
      }
    }
  }
  return { worst, where };
}

type Verdict = { compared: true } | { compared: false; why: 'no force' | 'diverged' | 'ill-conditioned' | 'too fast' };

/** The largest acceleration of `rule` at the start (reference backend, one tiny Euler step). */
async function startAcceleration(ctx: SuiteContext, rules: Rule[], state: ParticleState): Promise<number> {
  const dt = 1e-3;
  const sim = await createSimulation({
    system: defineSystem({ integrator: 'euler', rules }),
    state: state.clone(),
    dt,
    backend: ctx.reference.name,
    threads: 1,
  });
  try {
    await sim.step(1);
    const after = await sim.read();
    let a = 0;
    for (const [c, name] of [
      ['vx', 'vx'],
      ['vy', 'vy'],
      ['vz', 'vz'],
    ] as const) {
      const [v0, v1] = [state.column(c), after.column(name)];
      for (let i = 0; i < v0.length; i++) a = Math.max(a, Math.abs(v1[i]! - v0[i]!) / dt);
    }
    return a;
  } catch (error) {
    if (error instanceof SimulationDivergedError) return Infinity;
    throw error;
  } finally {
    await sim.dispose();
  }
}

async function runSystem(
  ctx: SuiteContext,
  kinds: readonly ExpressionKind[],
  seed: number,
): Promise<{ verdict: Verdict; describe: string }> {
  const rng = new Random(seed);
  const n = 3 + rng.int(8);
  const state = randomState(rng, n);
  const periodicBox = ctx.supports('periodic') && ctx.reference.rules.includes('periodic') && rng.next() < 0.3;
  const count = 1 + rng.int(3);
  const chosen = Array.from({ length: count }, () => rng.pick(kinds));
  if (!chosen.some((k) => k !== 'bondForce') && rng.next() < 0.5) chosen.push(rng.pick(kinds));
  const hasBonds = chosen.includes('bondForce');
  const makers = chosen.map((kind, index): RuleMaker => {
    switch (kind) {
      case 'pairForce': {
        const cutoff = periodicBox || rng.next() < 0.7 ? Math.round(rng.uniform(1.2, 2.6) * 10) / 10 : null;
        return pairMaker(rng, cutoff, hasBonds && rng.next() < 0.5);
      }
      case 'bondForce':
        return bondMaker(rng, state.count, `bonds${index}`);
      case 'externalForce':
        return externalMaker(rng);
      case 'field':
        return fieldMaker(rng);
    }
  });
  const box = periodicBox ? [periodic({ min: [-BOX, -BOX, -BOX], max: [BOX, BOX, BOX] })] : [];
  const describeAll = `${makers.map((m) => m.describe).join('; ')}${periodicBox ? `; periodic ±${BOX}` : ''}`;

  // Scale each rule to a largest starting acceleration in [1, 10].
  const rules: Rule[] = [];
  for (const m of makers) {
    const a = await startAcceleration(ctx, [m.make(1), ...box], state);
    if (!Number.isFinite(a)) return { verdict: { compared: false, why: 'diverged' }, describe: describeAll };
    if (a < 1e-6) return { verdict: { compared: false, why: 'no force' }, describe: describeAll };
    rules.push(m.make(rng.uniform(1, 10) / a));
  }
  rules.push(...box);
  const system: SystemDefinition = defineSystem({ integrator: rng.pick(['euler', 'verlet'] as const), rules });
  const dt = rng.uniform(0.002, 0.008);
  const calls = Array.from({ length: 3 }, () => 2 + rng.int(7));
  const L = periodicBox ? 2 * BOX : null;

  const make = (backend: string, s: ParticleState, options: object) => createSimulation({ ...options, system, state: s, dt, backend });
  const sims: Simulation[] = [];
  try {
    const ref = await make(ctx.reference.name, state.clone(), { threads: 1 });
    sims.push(ref);
    const twin = await make(ctx.reference.name, nudged(state, rng), { threads: 1 });
    sims.push(twin);
    const sim = await make(ctx.backend.name, state.clone(), ctx.options);
    sims.push(sim);
    for (const [k, steps] of calls.entries()) {
      const what = `seed ${seed}, call ${k} (step ${steps})`;
      try {
        await ref.step(steps);
        await twin.step(steps);
      } catch (error) {
        if (error instanceof SimulationDivergedError) return { verdict: { compared: false, why: 'diverged' }, describe: describeAll };
        throw error;
      }
      const [want, near] = [await ref.read(), await twin.read()];
      const speed = Math.max(...[want.vx, want.vy, want.vz].flatMap((c) => Array.from(c, Math.abs)));
      if (!(speed < 50)) return { verdict: { compared: false, why: 'too fast' }, describe: describeAll };
      if (difference(near, want, L).worst > 0.1 * AGREEMENT)
        return { verdict: { compared: false, why: 'ill-conditioned' }, describe: describeAll };
      const [dWant, dNear] = [await ref.diagnostics(), await twin.diagnostics()];
      const uScale = Math.max(1, Math.abs(dWant.kinetic), Math.abs(dWant.potential));
      if (Math.abs(dNear.potential - dWant.potential) > 0.1 * AGREEMENT * uScale)
        return { verdict: { compared: false, why: 'ill-conditioned' }, describe: describeAll };

      // Fit for comparison: now the backend under test.
      await sim.step(steps);
      const got = await sim.read();
      const d = difference(got, want, L);
      if (!(d.worst <= AGREEMENT)) expect.fail(`${what}: ${d.where} (relative difference ${d.worst} > ${AGREEMENT})`);
      const dGot = await sim.diagnostics();
      if (!(Math.abs(dGot.potential - dWant.potential) <= AGREEMENT * uScale))
        expect.fail(`${what}: potential ${dGot.potential}, reference ${dWant.potential}`);
    }
    return { verdict: { compared: true }, describe: describeAll };
  } catch (error) {
    throw new Error(`${(error as Error).message}\n  system: ${describeAll}`, { cause: error });
  } finally {
    await Promise.all(sims.map((s) => s.dispose().catch(() => undefined)));
  }
}

export function expressionFuzzCases(ctx: SuiteContext): void {
  describe('differential fuzz of random expression systems against the reference', () => {
    const kinds = EXPRESSION_KINDS.filter((k) => ctx.supports(k) && ctx.reference.rules.includes(k));
    const { seed, systems, seconds } = settings(ctx.backend.name);
    if (kinds.length === 0)
      console.warn(`[fuzz] ${ctx.backend.name} lists none of ${EXPRESSION_KINDS.join(', ')}: no expression systems to fuzz`);
    it.skipIf(kinds.length === 0)(
      `random trees as ${kinds.join(', ')} rules agree with the reference (seed ${seed}; BROKENRECORD_FUZZ_SEED replays)`,
      async () => {
        const started = Date.now();
        const tally = { compared: 0, 'no force': 0, diverged: 0, 'ill-conditioned': 0, 'too fast': 0 };
        let ran = 0;
        for (let k = 0; k < systems && (Date.now() - started) / 1000 < seconds; k++) {
          let result: Awaited<ReturnType<typeof runSystem>>;
          try {
            result = await runSystem(ctx, kinds, seed + k);
          } catch (error) {
            throw new Error(
              `expression system ${k} failed (replay: BROKENRECORD_FUZZ_SEED=${seed + k} BROKENRECORD_FUZZ_SYSTEMS=1): ${(error as Error).message}`,
              { cause: error },
            );
          }
          ran++;
          tally[result.verdict.compared ? 'compared' : result.verdict.why]++;
        }
        const label = `${ctx.backend.name}${ctx.options.threads ? ` (threads ${ctx.options.threads})` : ''}`;
        console.log(
          `[fuzz] ${label}: ${ran} expression systems in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${seed}): ` +
            Object.entries(tally)
              .map(([why, c]) => `${c} ${why}`)
              .join(', '),
        );
        expect(tally.compared, 'systems compared (the rest were rejected by the reference as unfit)').toBeGreaterThanOrEqual(
          Math.min(systems, 2),
        );
      },
      SLOW_CASE_TIMEOUT,
    );
  });
}
