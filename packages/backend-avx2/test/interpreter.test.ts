import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bondForce,
  checkState,
  compileKernelPlan,
  defineSystem,
  evaluate,
  externalForce,
  field,
  pairForce,
  periodic,
  potentialEnergy,
  ParticleState,
  type KernelPlan,
  type Rule,
  type SystemDefinition,
} from '@brokenrecord/core';
import { loadAddon } from '@brokenrecord/backend-avx2';
import {
  ABI_HEADER,
  compileGenerated,
  compilerVersion,
  findCompiler,
  generateCpp,
  GEN_POSITION_TERMS,
  GEN_VELOCITY_TERMS,
} from '@brokenrecord/native-common/codegen';
import { afterAll, expect, it } from 'vitest';
import {
  BYTECODE_MAGIC,
  BYTECODE_VERSION,
  encodeBytecode,
  OP,
  SECTION,
  SOURCE,
  type InterpreterAddon,
  type InterpreterBytecode,
  type InterpreterInput,
  type InterpreterResult,
} from '../src/codegen/bytecode.js';
import { describeNative } from './helpers.js';
import { Random } from '@brokenrecord/conformance';

// The addon's interpreter of expression rules (native/src/interp) against core's float64
// evaluation of the same plan trees, for every function and operator and every term kind, and
// against the compiled object generated from the same plan (same pairs, same order of sums: the
// results agree bit for bit, which the test reports). Also: threads do not change a bit, malformed bytecode is a typed
// error and never a crash (the sanitizer suite runs this file too).

const ALL = GEN_POSITION_TERMS | GEN_VELOCITY_TERMS;
const sanitize = process.env.BROKENRECORD_GENERATED_SANITIZE === '1';
const compiler = findCompiler();
const haveCompiler = process.platform === 'linux' && compilerVersion(compiler) !== null;
const work = mkdtempSync(join(tmpdir(), 'br-interp-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const addon = (): InterpreterAddon => loadAddon() as unknown as InterpreterAddon;

function prepare(rules: Rule[], state: ParticleState): { system: SystemDefinition; plan: KernelPlan; bytecode: InterpreterBytecode } {
  const system = defineSystem({ integrator: 'verlet', rules });
  checkState(state, system); // installs each bondForce rule's initial table
  const plan = compileKernelPlan(system, 0.001);
  return { system, plan, bytecode: encodeBytecode(plan) };
}

/** Every bond table's partners, as the CSR the pair terms' exclusion test reads. */
function exclusions(state: ParticleState): { start: number[]; list: number[] } {
  const partners: number[][] = Array.from({ length: state.count }, () => []);
  for (const group of state.bondGroups) {
    const t = state.bonds(group)!;
    for (let b = 0; b < t.count; b++) {
      partners[t.i[b]!]!.push(t.j[b]!);
      partners[t.j[b]!]!.push(t.i[b]!);
    }
  }
  const start = [0];
  const list: number[] = [];
  for (const p of partners) {
    list.push(...p);
    start.push(list.length);
  }
  return { start, list };
}

function inputOf(state: ParticleState, bytecode: InterpreterBytecode, t: number): InterpreterInput {
  const ex = exclusions(state);
  return {
    t,
    px: state.px,
    py: state.py,
    pz: state.pz,
    vx: state.vx,
    vy: state.vy,
    vz: state.vz,
    mass: state.mass,
    radius: state.radius,
    attributes: bytecode.layout.attributes.map((a) => state.attribute(a)!),
    bonds: bytecode.layout.bonds.map((b) => {
      const table = state.bonds(b.group)!;
      return {
        i: Int32Array.from(table.i),
        j: Int32Array.from(table.j),
        params: b.perBond.map((p) => Float32Array.from(table.params[p]!)),
      };
    }),
    exStart: Uint32Array.from(ex.start),
    exList: Uint32Array.from(ex.list),
  };
}

function interpret(bytecode: InterpreterBytecode, state: ParticleState, t: number, what: number, threads = 1): InterpreterResult {
  const handle = addon().createInterpretedForces(bytecode, { threads });
  return addon().evaluateInterpretedForces(handle, inputOf(state, bytecode, t), what);
}

const rows = (r: InterpreterResult): number[][] => Array.from(r.ax, (x, i) => [x, r.ay[i]!, r.az[i]!]);

/** Core's float64 reference: every term of the plan by `evaluate`, pairs by brute force (nearest image). */
function reference(state: ParticleState, plan: KernelPlan, t: number, what: number): number[][] {
  const n = state.count;
  const out = Array.from({ length: n }, () => [0, 0, 0]);
  const col = (name: string, i: number) =>
    name === 'm' ? state.mass[i]! : name === 'radius' ? state.radius[i]! : state.attribute(name)![i]!;
  const particleEnv = (i: number): Record<string, number> => {
    const env: Record<string, number> = {
      x: state.px[i]!,
      y: state.py[i]!,
      z: state.pz[i]!,
      vx: state.vx[i]!,
      vy: state.vy[i]!,
      vz: state.vz[i]!,
      t,
      m: state.mass[i]!,
      radius: state.radius[i]!,
    };
    for (const a of plan.attributes) env[a] = state.attribute(a)![i]!;
    return env;
  };
  const pairEnv = (i: number, j: number, r: number, columns: string[]): Record<string, number> => {
    const env: Record<string, number> = { r, m1: state.mass[i]!, m2: state.mass[j]!, radius1: state.radius[i]!, radius2: state.radius[j]! };
    for (const c of columns) {
      env[`${c}1`] = col(c, i);
      env[`${c}2`] = col(c, j);
    }
    return env;
  };
  const delta = (i: number, j: number): number[] => {
    const d = [state.px[j]! - state.px[i]!, state.py[j]! - state.py[i]!, state.pz[j]! - state.pz[i]!];
    if (plan.periodic) for (let k = 0; k < 3; k++) d[k] = d[k]! - plan.periodic.length[k]! * Math.round(d[k]! / plan.periodic.length[k]!);
    return d;
  };
  const bonded = new Set<string>();
  for (const group of state.bondGroups) {
    const tb = state.bonds(group)!;
    for (let b = 0; b < tb.count; b++) bonded.add(`${tb.i[b]},${tb.j[b]}`).add(`${tb.j[b]},${tb.i[b]}`);
  }
  for (let i = 0; i < n; i++) {
    const env = particleEnv(i);
    if (what & GEN_POSITION_TERMS)
      for (const e of plan.external) for (let k = 0; k < 3; k++) out[i]![k]! += evaluate(e.force[k]!, env) / state.mass[i]!;
    for (const f of plan.fields)
      if ((f.usesVelocity ? GEN_VELOCITY_TERMS : GEN_POSITION_TERMS) & what)
        for (let k = 0; k < 3; k++) out[i]![k]! += evaluate(f.acceleration[k]!, env);
  }
  if (!(what & GEN_POSITION_TERMS)) return out;
  for (const p of plan.pairs)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        if (i === j || (p.excludeBonds && bonded.has(`${i},${j}`))) continue;
        const d = delta(i, j);
        const r = Math.hypot(d[0]!, d[1]!, d[2]!);
        if (p.cutoff !== null && r >= p.cutoff) continue;
        const s = evaluate(p.fScale, pairEnv(i, j, r, p.columns));
        for (let k = 0; k < 3; k++) out[i]![k]! += (s * d[k]!) / state.mass[i]!;
      }
  for (const bnd of plan.bonds) {
    const tb = state.bonds(bnd.group)!;
    for (let b = 0; b < tb.count; b++) {
      const i = tb.i[b]!,
        j = tb.j[b]!;
      const d = delta(i, j);
      const env = pairEnv(i, j, Math.hypot(d[0]!, d[1]!, d[2]!), bnd.columns);
      for (const name of bnd.perBond) env[name] = tb.params[name]![b]!;
      const s = evaluate(bnd.fScale, env);
      for (let k = 0; k < 3; k++) {
        out[i]![k]! += (s * d[k]!) / state.mass[i]!;
        out[j]![k]! -= (s * d[k]!) / state.mass[j]!;
      }
    }
  }
  return out;
}

/** Largest |a − b| over the largest |b| (sums of many terms: relative to the system's scale). */
function maxRelative(a: number[][], b: number[][]): number {
  let diff = 0,
    scale = 0;
  for (let i = 0; i < b.length; i++)
    for (let k = 0; k < 3; k++) {
      diff = Math.max(diff, Math.abs(a[i]![k]! - b[i]![k]!));
      scale = Math.max(scale, Math.abs(b[i]![k]!));
    }
  return scale === 0 ? diff : diff / scale;
}

/** A jittered lattice with attributes q, sigma, epsilon; `center` shifts it (negative coordinates for the function tests). */
function lattice(side: number, spacing: number, seed: number, center = false): ParticleState {
  const rng = new Random(seed);
  const shift = center ? (side * spacing) / 2 : 0;
  const position: number[][] = [];
  for (let x = 0; x < side; x++)
    for (let y = 0; y < side; y++)
      for (let z = 0; z < side; z++)
        position.push([
          (x + 0.5) * spacing - shift + 0.2 * (rng.next() - 0.5),
          (y + 0.5) * spacing - shift + 0.2 * (rng.next() - 0.5),
          (z + 0.5) * spacing - shift + 0.2 * (rng.next() - 0.5),
        ]);
  return ParticleState.from({
    position,
    velocity: position.map(() => [rng.next() - 0.5, rng.next() - 0.5, rng.next() - 0.5]),
    mass: position.map(() => 0.5 + rng.next()),
    attributes: {
      q: position.map(() => (rng.next() < 0.5 ? -1 : 1)),
      sigma: position.map(() => 0.9 + 0.2 * rng.next()),
      epsilon: position.map(() => 0.5 + rng.next()),
    },
  });
}

const LJ_MIXED = '4*sqrt(epsilon1*epsilon2)*(((sigma1+sigma2)/2/r)^12 - ((sigma1+sigma2)/2/r)^6)';

interface TermCase {
  name: string;
  rules: () => Rule[];
  state: () => ParticleState;
  t?: number;
}

const TERM_CASES: TermCase[] = [
  {
    name: 'Lennard-Jones with cutoff in a periodic box (cell grid, shifted images)',
    rules: () => [pairForce({ energy: '4*((1/r)^12 - (1/r)^6)', cutoff: 2.5, shift: true }), periodic({ min: [0, 0, 0], max: [9, 9, 9] })],
    state: () => lattice(6, 1.5, 1),
  },
  {
    name: 'mixed Lennard-Jones and erfc charges with two cutoffs, open box (grid over the bounding box)',
    rules: () => [
      pairForce({ energy: LJ_MIXED, perParticle: ['sigma', 'epsilon'], cutoff: 2.5 }),
      pairForce({ energy: '0.2*q1*q2*erfc(0.8*r)/r', perParticle: ['q'], cutoff: 2.1 }),
    ],
    state: () => lattice(5, 1.3, 2),
  },
  {
    name: 'periodic box too small for a 3-cell grid (every pair, nearest image), masses and radii read per pair',
    rules: () => [
      pairForce({ energy: '4*((1/r)^12 - (1/r)^6) + 0.01*m1*m2*(radius1 + radius2 + 1)/r', cutoff: 2.4 }),
      periodic({ min: [-1, 0, 0], max: [5, 6, 6] }),
    ],
    state: () => lattice(4, 1.5, 3),
  },
  {
    name: 'all pairs, bonds (per-bond and global parameters, two tables) excluded from a cutoff pair force, external and fields',
    rules: () => [
      pairForce({ energy: '0.01*q1*q2/r', perParticle: ['q'] }),
      pairForce({ energy: LJ_MIXED, perParticle: ['sigma', 'epsilon'], cutoff: 2.5, exclude: 'bonds' }),
      bondForce({
        energy: '0.5*k*(r - r0)^2',
        bonds: [
          [0, 1],
          [1, 2],
          [5, 9],
          [20, 3],
        ],
        perBond: { k: [10, 20, 30, 40], r0: [1, 1.1, 1.2, 1.3] },
      }),
      bondForce({
        energy: 'k*(1 - cos(r - r0))*sigma1',
        bonds: [
          [4, 7],
          [7, 8],
          [26, 0],
        ],
        parameters: { k: 3, r0: 1.2 },
        perParticle: ['sigma'],
        group: 'angles',
      }),
      externalForce({ energy: '0.1*z^2 + 0.05*sin(x + t)*epsilon', perParticle: ['epsilon'] }),
      field({ acceleration: ['-0.2*vx', '0.01*q*y', 'cos(t)*0.1'], perParticle: ['q'] }),
    ],
    state: () => lattice(3, 1.4, 4),
    t: 0.7,
  },
  {
    name: 'bonds across a periodic box (nearest image) excluded from a cutoff pair force',
    rules: () => [
      pairForce({ energy: '4*((1/r)^12 - (1/r)^6)', cutoff: 2.5, exclude: 'bonds' }),
      bondForce({
        energy: '0.5*k*(r - 1)^2',
        bonds: [
          [0, 26],
          [2, 24],
          [4, 5],
        ],
        perBond: { k: [5, 6, 7] },
      }),
      periodic({ min: [0, 0, 0], max: [8, 8, 8] }),
    ],
    state: () => lattice(3, 2.6, 6),
  },
  {
    name: 'more particles than a block (37: partial blocks) with every per-particle kind',
    rules: () => [
      externalForce({ energy: '0.5*(x^2 + 2*y^2 + 3*z^2)*m + radius*x' }),
      externalForce({ energy: 'exp(-0.1*(x*x + y*y))*t' }),
      field({ acceleration: ['0.1*x*m', 'y*t', '0.3'] }),
      field({ acceleration: ['vy - vx*0.5', 'vz*x', 'vx*vy*vz'] }),
    ],
    state: () => {
      const s = lattice(4, 1.1, 5, true);
      s.remove(Array.from({ length: 27 }, (_, k) => 2 * k + 1));
      return s;
    },
    t: 1.3,
  },
];

/** One expression per function and operator, arguments kept in their domains for positions in about ±2.5. */
const FUNCTION_CASES: [string, string][] = [
  ['sqrt', 'sqrt(x + 3)'],
  ['exp', 'exp(x)'],
  ['log', 'log(x + 3)'],
  ['sin', 'sin(3*x)'],
  ['cos', 'cos(3*x)'],
  ['tan', 'tan(0.5*x)'],
  ['asin', 'asin(x/3)'],
  ['acos', 'acos(x/3)'],
  ['atan', 'atan(2*x)'],
  ['sinh', 'sinh(x)'],
  ['cosh', 'cosh(x)'],
  ['tanh', 'tanh(x)'],
  ['erf', 'erf(x)'],
  ['erfc', 'erfc(2*x)'],
  ['abs', 'abs(x)'],
  ['step', 'step(x)'],
  ['floor', 'floor(2*x)'],
  ['ceil', 'ceil(2*x)'],
  ['min', 'min(x, y)'],
  ['max', 'max(x, y)'],
  ['select', 'select(floor(x), y, z)'],
  ['select over step', 'select(step(x - y), y, z)'],
  ['pow', '(x + 3)^(0.5*y + 0.3)'],
  ['integer power', 'x^7'],
  ['negative integer power', '(x + 3)^-3'],
  ['negation', '-(x*y)'],
  ['add', 'x + y'],
  ['sub', 'x - y'],
  ['mul', 'x*y'],
  ['div', 'x/(y + 4)'],
];

describeNative('the interpreter of expression rules', () => {
  it('reads the format bytecode.ts writes (magic, version, opcodes, sources, sections)', () => {
    const format = addon().interpreterFormat();
    expect(format.magic).toBe(BYTECODE_MAGIC);
    expect(format.version).toBe(BYTECODE_VERSION);
    expect(format.ops).toEqual({ ...OP });
    expect(format.sources).toEqual({ ...SOURCE });
    expect(format.sections).toEqual({ ...SECTION });
  });

  for (const [name, expr] of FUNCTION_CASES) {
    it(`${name}: ${expr}, per particle and per pair, agrees with core's evaluate`, () => {
      const state = lattice(4, 1.2, 11, true);
      // As a field (the value itself), as a velocity field, and inside an external potential and a pair potential (its derivative).
      const rules = [
        field({ acceleration: [expr, `0.5*(${expr})`, '0'] }),
        field({ acceleration: ['0', '0', `vx*(${expr})`] }),
        externalForce({ energy: `0.1*(${expr.replace(/\bx\b/g, '(x/2)').replace(/\by\b/g, '(y/2)').replace(/\bz\b/g, '(z/2)')})` }),
      ];
      const { system, plan, bytecode } = prepare(rules, state);
      for (const what of [GEN_POSITION_TERMS, GEN_VELOCITY_TERMS, ALL]) {
        const got = rows(interpret(bytecode, state, 0.25, what));
        const want = reference(state, plan, 0.25, what);
        // Lane by lane: libm and V8's Math differ by an ulp or two at most; floor/step/select exactly.
        for (let i = 0; i < state.count; i++)
          for (let k = 0; k < 3; k++) {
            const [g, w] = [got[i]![k]!, want[i]![k]!];
            expect(Math.abs(g - w), `${name} particle ${i} axis ${k}: ${g} vs ${w}`).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(w)));
          }
      }
      const u = interpret(bytecode, state, 0.25, ALL).potential;
      expect(Math.abs(u - potentialEnergy(state, system, 0.25))).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(u)));

      // The same function of r in a cutoff pair potential (r in (0.6, 2.6): arguments shifted into every domain).
      const pair = expr.replace(/\bx\b/g, '(r - 1.6)').replace(/\by\b/g, '(1.1 - r)').replace(/\bz\b/g, '(r*r)');
      const pairState = lattice(4, 1.2, 12);
      const p = prepare([pairForce({ energy: `0.05*(${pair})`, cutoff: 2.6 })], pairState);
      const pr = interpret(p.bytecode, pairState, 0, GEN_POSITION_TERMS);
      expect(maxRelative(rows(pr), reference(pairState, p.plan, 0, GEN_POSITION_TERMS))).toBeLessThan(1e-12);
      expect(Math.abs(pr.potential - potentialEnergy(pairState, p.system, 0))).toBeLessThanOrEqual(
        1e-12 * Math.max(1, Math.abs(pr.potential)),
      );
    });
  }

  for (const c of TERM_CASES) {
    it(`${c.name}: accelerations and potential agree with core's float64 evaluation`, () => {
      const state = c.state();
      const { system, plan, bytecode } = prepare(c.rules(), state);
      expect(bytecode.layout).toEqual(generateCpp(plan).layout);
      const t = c.t ?? 0;
      for (const what of [GEN_POSITION_TERMS, GEN_VELOCITY_TERMS, ALL]) {
        const run = interpret(bytecode, state, t, what);
        expect(run.rc).toBe(0);
        expect(run.path).toBe('interpreter');
        const want = reference(state, plan, t, what);
        if (want.every((row) => row.every((v) => v === 0))) expect(rows(run).every((row) => row.every((v) => v === 0))).toBe(true);
        else expect(maxRelative(rows(run), want)).toBeLessThan(1e-11);
        expect(Math.abs(run.potential - potentialEnergy(state, system, t))).toBeLessThanOrEqual(
          1e-11 * Math.max(1, Math.abs(run.potential)),
        );
      }
    });
  }

  it('threads change no bit (grid pairs, all pairs, bonds, per-particle terms on 343 particles)', () => {
    const state = lattice(7, 1.3, 21);
    const { bytecode } = prepare(
      [
        pairForce({ energy: LJ_MIXED, perParticle: ['sigma', 'epsilon'], cutoff: 2.5 }),
        pairForce({ energy: '0.001*q1*q2/r', perParticle: ['q'] }),
        bondForce({ energy: '5*(r - 1.3)^2', bonds: Array.from({ length: 100 }, (_, k) => [k, k + 1] as [number, number]) }),
        externalForce({ energy: '0.01*(x^2 + y^2 + z^2)' }),
        field({ acceleration: ['-0.1*vx', '-0.1*vy', 'sin(x)'] }),
      ],
      state,
    );
    const one = interpret(bytecode, state, 0.5, ALL, 1);
    for (const threads of [2, 3, 8]) {
      const many = interpret(bytecode, state, 0.5, ALL, threads);
      expect(Array.from(many.ax)).toEqual(Array.from(one.ax));
      expect(Array.from(many.ay)).toEqual(Array.from(one.ay));
      expect(Array.from(many.az)).toEqual(Array.from(one.az));
      expect(many.potential).toBe(one.potential);
    }
  });

  it('the AVX2 block loops compute the same bits as the baseline ones', () => {
    const state = lattice(5, 1.2, 31, true);
    const { bytecode } = prepare(everyFunction(), state);
    const input = inputOf(state, bytecode, 0.3);
    const run = (isa: string) => addon().evaluateInterpretedForces(addon().createInterpretedForces(bytecode, { isa }), input, ALL);
    const [base, best] = [run('scalar'), run('avx2')];
    expect(base.isa).toBe('scalar');
    console.log(`[interpreter] block loops: ${best.isa}`);
    for (const k of ['ax', 'ay', 'az'] as const) expect(Array.from(best[k])).toEqual(Array.from(base[k]));
    expect(best.potential).toBe(base.potential);
  });

  it('keeps its neighbour list while particles move less than skin/2, rebuilds it after (and agrees with the reference throughout)', () => {
    const state = lattice(6, 1.5, 41);
    const { plan, bytecode } = prepare(
      [pairForce({ energy: '4*((1/r)^12 - (1/r)^6)', cutoff: 2.5 }), periodic({ min: [0, 0, 0], max: [9, 9, 9] })],
      state,
    );
    const handle = addon().createInterpretedForces(bytecode, { threads: 2 });
    const rng = new Random(42);
    const builds: number[] = [];
    // Skin 0.3 for the cutoff 2.5: moves of at most 0.1 per axis (|d| < 0.15 = skin/2) keep the list; 0.5 does not.
    for (const jitter of [0, 0.05, 0.05, 0.5, 0.02]) {
      for (const c of [state.px, state.py, state.pz]) for (let i = 0; i < c.length; i++) c[i] = c[i]! + jitter * (rng.next() - 0.5);
      const run = addon().evaluateInterpretedForces(handle, inputOf(state, bytecode, 0), GEN_POSITION_TERMS);
      builds.push(run.listBuilds!);
      expect(maxRelative(rows(run), reference(state, plan, 0, GEN_POSITION_TERMS))).toBeLessThan(1e-11);
    }
    expect(builds).toEqual([1, 1, 1, 2, 2]);
  });

  it('an empty state', () => {
    const { bytecode } = prepare([pairForce({ energy: '1/r', cutoff: 2 }), externalForce({ energy: 'x' })], lattice(2, 1, 1));
    const empty = ParticleState.create(0);
    const run = interpret(bytecode, empty, 0, ALL);
    expect(run.rc).toBe(0);
    expect(run.potential).toBe(0);
  });

  describeMalformed();
  describeCompiled();
});

function describeMalformed(): void {
  const rules = (): Rule[] => [
    pairForce({ energy: LJ_MIXED, perParticle: ['sigma', 'epsilon'], cutoff: 2.5, exclude: 'bonds' }),
    bondForce({
      energy: '0.5*k*(r - 1)^2',
      bonds: [
        [0, 1],
        [2, 3],
      ],
      perBond: { k: [1, 2] },
    }),
    externalForce({ energy: '0.1*q*x^2', perParticle: ['q'] }),
    field({ acceleration: ['-vx', '0', 'erf(z)'] }),
    periodic({ min: [0, 0, 0], max: [8, 8, 8] }),
  ];

  const expectBytecodeError = (bytecode: { code: Uint32Array; constants: Float64Array }, what: string) => {
    let error: unknown;
    try {
      addon().createInterpretedForces(bytecode);
    } catch (e) {
      error = e;
    }
    expect(error, what).toBeInstanceOf(Error);
    expect((error as { code?: string }).code, `${what}: ${(error as Error).message}`).toBe('BYTECODE');
    expect((error as Error).name).toBe('BytecodeError');
  };

  it('malformed bytecode is a typed error (BytecodeError, code BYTECODE) naming the word', () => {
    const { bytecode } = prepare(rules(), lattice(3, 1.3, 7));
    const { code, constants } = bytecode;
    const edit = (at: number, value: number) => {
      const c = code.slice();
      c[at] = value;
      return { code: c, constants };
    };
    expectBytecodeError({ code: code.slice(0, 5), constants }, 'truncated header');
    expectBytecodeError({ code: code.slice(0, code.length - 1), constants }, 'truncated body');
    expectBytecodeError({ code: Uint32Array.from([...code, 0]), constants }, 'a word after the end');
    expectBytecodeError(edit(0, 0xdeadbeef), 'magic');
    expectBytecodeError(edit(1, BYTECODE_VERSION + 1), 'version');
    expectBytecodeError({ code, constants: constants.slice(0, 1) }, 'constants missing from the pool');
    expectBytecodeError(edit(2, 0), 'attribute count below what the loads read');
    expectBytecodeError(edit(3, 0), 'no bond tables');
    expectBytecodeError(edit(5, 0), 'exclusions dropped while a term excludes');
    expectBytecodeError(edit(14, 6), 'unknown section kind');
    expectBytecodeError({ code: new Float64Array(4) as unknown as Uint32Array, constants }, 'code not a Uint32Array');
    expectBytecodeError({ code, constants: new Float32Array(constants) as unknown as Float64Array }, 'constants not a Float64Array');
    expect(() => addon().createInterpretedForces(bytecode, { threads: 0 })).toThrow(RangeError);
  });

  it('randomly corrupted bytecode is refused with a typed error or runs without a crash (2000 mutations)', () => {
    const state = lattice(3, 1.3, 8);
    const { bytecode } = prepare(rules(), state);
    const rng = new Random(0xb17e);
    let refused = 0,
      ran = 0;
    for (let k = 0; k < 2000; k++) {
      const code = bytecode.code.slice();
      const mutations = 1 + rng.int(3);
      for (let m = 0; m < mutations; m++) {
        const at = rng.int(code.length);
        code[at] = rng.pick([0, 1, 2, 3, rng.int(64), code[at]! + 1, code[at]! - 1, 0xffffffff, rng.int(2 ** 32)]);
      }
      let handle: object;
      try {
        handle = addon().createInterpretedForces({ code, constants: bytecode.constants }, { threads: 2 });
      } catch (e) {
        expect((e as { code?: string }).code, (e as Error).message).toBe('BYTECODE');
        refused++;
        continue;
      }
      try {
        const r = addon().evaluateInterpretedForces(handle, inputOf(state, bytecode, 0.1), ALL);
        expect([0, -2]).toContain(r.rc);
        ran++;
      } catch (e) {
        // A corrupt header may declare other attribute or bond counts than the state gives: a range error, before anything runs.
        expect(e).toBeInstanceOf(RangeError);
      }
    }
    console.log(`[interpreter] corrupted bytecode: ${refused} refused, ${ran} ran, ${2000 - refused - ran} refused their input`);
    expect(refused).toBeGreaterThan(1000);
  });
}

// ---------------------------------------------------------------------------------------------
// Against the compiled object of the same plan: a small dlopen driver (no N-API) runs it on the
// same columns; its accelerations and potential must agree with the interpreter's (bit for bit, reported).

const DRIVER = `${ABI_HEADER}
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <vector>
typedef int (*accel_fn)(const br_gen_input*, uint32_t, double*, double*, double*);
typedef double (*energy_fn)(const br_gen_input*);
static FILE* in_file;
template <class T> static std::vector<T> take(size_t n) {
  std::vector<T> v(n ? n : 1);
  if (n && fread(v.data(), sizeof(T), n, in_file) != n) { fprintf(stderr, "short input\\n"); exit(3); }
  return v;
}
int main(int argc, char** argv) {
  void* h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!h) { fprintf(stderr, "%s\\n", dlerror()); return 2; }
  accel_fn accel = (accel_fn)dlsym(h, "br_gen_accelerations");
  energy_fn energy = (energy_fn)dlsym(h, "br_gen_potential");
  if (!accel || !energy) return 2;
  in_file = fopen(argv[2], "rb");
  std::vector<uint32_t> head = take<uint32_t>(4);
  const uint32_t n = head[0], nattr = head[1], nbond = head[2], what = head[3];
  br_gen_input in = {};
  in.version = BR_GEN_ABI_VERSION;
  in.count = n;
  in.t = take<double>(1)[0];
  std::vector<std::vector<float>> cols;
  for (int c = 0; c < 8; c++) cols.push_back(take<float>(n));
  in.px = cols[0].data(); in.py = cols[1].data(); in.pz = cols[2].data();
  in.vx = cols[3].data(); in.vy = cols[4].data(); in.vz = cols[5].data();
  in.mass = cols[6].data(); in.radius = cols[7].data();
  std::vector<std::vector<float>> attrs;
  std::vector<const float*> attr_ptr;
  for (uint32_t a = 0; a < nattr; a++) attrs.push_back(take<float>(n));
  for (auto& a : attrs) attr_ptr.push_back(a.data());
  in.attributes = attr_ptr.data();
  std::vector<uint32_t> bond_count;
  std::vector<std::vector<int32_t>> bi, bj;
  std::vector<std::vector<float>> params;
  std::vector<const int32_t*> bi_ptr, bj_ptr;
  std::vector<const float*> param_ptr;
  for (uint32_t k = 0; k < nbond; k++) {
    const uint32_t count = take<uint32_t>(1)[0], np = take<uint32_t>(1)[0];
    bond_count.push_back(count);
    bi.push_back(take<int32_t>(count));
    bj.push_back(take<int32_t>(count));
    for (uint32_t p = 0; p < np; p++) params.push_back(take<float>(count));
  }
  for (uint32_t k = 0; k < nbond; k++) { bi_ptr.push_back(bi[k].data()); bj_ptr.push_back(bj[k].data()); }
  for (auto& p : params) param_ptr.push_back(p.data());
  in.bond_count = bond_count.data(); in.bond_i = bi_ptr.data(); in.bond_j = bj_ptr.data(); in.bond_params = param_ptr.data();
  const uint32_t ex_total = take<uint32_t>(1)[0];
  std::vector<uint32_t> ex_start = take<uint32_t>(n + 1), ex_list = take<uint32_t>(ex_total);
  in.ex_start = ex_start.data(); in.ex_list = ex_list.data();
  std::vector<double> ax(n, 0.0), ay(n, 0.0), az(n, 0.0);
  const int rc = accel(&in, what, ax.data(), ay.data(), az.data());
  const double u = energy(&in);
  fwrite(&rc, sizeof rc, 1, stdout);
  fwrite(ax.data(), sizeof(double), n, stdout);
  fwrite(ay.data(), sizeof(double), n, stdout);
  fwrite(az.data(), sizeof(double), n, stdout);
  fwrite(&u, sizeof u, 1, stdout);
  return 0;
}
`;

let driverPath: string | null = null;
function driver(): string {
  if (driverPath) return driverPath;
  const src = join(work, 'driver.cpp');
  const exe = join(work, 'driver');
  writeFileSync(src, DRIVER);
  const flags = sanitize ? ['-fsanitize=address,undefined', '-fno-sanitize-recover=undefined'] : [];
  const r = spawnSync(compiler, ['-std=c++17', '-O1', ...flags, '-o', exe, src, '-ldl'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`driver did not compile: ${r.stderr}`);
  driverPath = exe;
  return exe;
}

function runCompiled(so: string, input: InterpreterInput, what: number): InterpreterResult {
  const n = input.px.length;
  const parts: Buffer[] = [];
  const put = (a: ArrayBufferView) => parts.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  put(Uint32Array.from([n, input.attributes.length, input.bonds.length, what]));
  put(Float64Array.from([input.t]));
  for (const c of [input.px, input.py, input.pz, input.vx, input.vy, input.vz, input.mass, input.radius]) put(c.slice(0, n));
  for (const a of input.attributes) put(a.slice(0, n));
  for (const b of input.bonds) {
    put(Uint32Array.from([b.i.length, b.params.length]));
    put(b.i);
    put(b.j);
    for (const p of b.params) put(p);
  }
  put(Uint32Array.from([input.exList.length]));
  put(input.exStart);
  put(input.exList);
  const file = join(work, `input-${Math.random().toString(36).slice(2)}.bin`);
  writeFileSync(file, Buffer.concat(parts));
  const r = spawnSync(driver(), [so, file], { maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`driver failed (${r.status}): ${r.stderr.toString()}`);
  const out = r.stdout;
  const f64 = (offset: number, count: number) =>
    new Float64Array(out.buffer.slice(out.byteOffset + offset, out.byteOffset + offset + 8 * count));
  return {
    rc: out.readInt32LE(0),
    ax: f64(4, n),
    ay: f64(4 + 8 * n, n),
    az: f64(4 + 16 * n, n),
    potential: out.readDoubleLE(4 + 24 * n),
  };
}

const bitwise = { equal: 0, different: 0 };

function describeCompiled(): void {
  afterAll(() => {
    if (bitwise.equal + bitwise.different)
      console.log(`[interpreter] vs compiled: ${bitwise.equal} evaluations bit for bit equal, ${bitwise.different} not`);
  });
  const cpuFlags = process.platform === 'linux' ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const variant = /\bavx2\b/.test(cpuFlags) && /\bfma\b/.test(cpuFlags) ? 'avx2' : 'scalar';
  const every = {
    name: 'every function in one field and one pair force',
    rules: everyFunction,
    state: () => lattice(4, 1.2, 13, true),
    t: 0.4,
  };
  // A sanitized compile takes seconds each on this kind of machine: the sanitizer suite compares the two broadest cases.
  const cases = sanitize ? [TERM_CASES[3]!, every] : [...TERM_CASES, every];
  for (const c of cases) {
    it.skipIf(!haveCompiler)(`${c.name}: the same bits as the compiled object (${variant})`, () => {
      const state = c.state();
      const { plan, bytecode } = prepare(c.rules(), state);
      const { source } = generateCpp(plan);
      const so = compileGenerated(source, { variant, cacheDir: join(work, 'cache'), sanitize }).path;
      const input = inputOf(state, bytecode, c.t ?? 0);
      for (const what of [GEN_POSITION_TERMS, GEN_VELOCITY_TERMS, ALL]) {
        const compiled = runCompiled(so, input, what);
        const interpreted = addon().evaluateInterpretedForces(addon().createInterpretedForces(bytecode, { threads: 2 }), input, what);
        expect(interpreted.rc).toBe(compiled.rc);
        // The same pairs in the same order with the same <math.h>: equal bits today. Asserted to 1e-13 of the
        // system's scale, so that the generated loops may change their order of summation without this test failing.
        expect(maxRelative(rows(interpreted), rows(compiled))).toBeLessThanOrEqual(1e-13);
        expect(Math.abs(interpreted.potential - compiled.potential)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(compiled.potential)));
        const same = [interpreted.ax, interpreted.ay, interpreted.az].every((a, k) =>
          a.every((v, i) => Object.is(v, [compiled.ax, compiled.ay, compiled.az][k]![i])),
        );
        bitwise[same && Object.is(interpreted.potential, compiled.potential) ? 'equal' : 'different']++;
      }
    });
  }
  if (!haveCompiler)
    console.warn(`[interpreter tests] no runnable C++ compiler '${compiler}': the comparison with compiled objects is skipped`);
}

function everyFunction(): Rule[] {
  const fx = FUNCTION_CASES.map(([, e]) => `(${e})`).join(' + ');
  const fr = FUNCTION_CASES.map(
    ([, e]) => `(${e.replace(/\bx\b/g, '(r - 1.6)').replace(/\by\b/g, '(1.1 - r)').replace(/\bz\b/g, '(r*r)')})`,
  ).join(' + ');
  return [field({ acceleration: [fx, `vx*(${fx})`, '1'] }), pairForce({ energy: `0.01*(${fr})`, cutoff: 2.6 })];
}
