import { buildProgram, type Expr, type FunctionName, type KernelPlan } from '@brokenrecord/core';
import { generatedLayout, type GeneratedLayout } from '@brokenrecord/native-common/codegen';

/**
 * The kernel plan's expression terms as register bytecode for the addon's interpreter
 * (native/src/interp): the same term groups, programs and order of operations as the C++ that
 * native-common's emit-cpp.ts generates, for machines where no C++ compiler can build that source.
 *
 * `code` is a stream of uint32 words, `constants` the float64 values its programs read:
 *
 *   header:  MAGIC VERSION nAttributes nBondTables nBondParams exclusions periodic
 *            L0 L1 L2 lo0 lo1 lo2 (constant indices; read when periodic) nSections
 *   section: kind nWords body
 *     PARTICLE / VELOCITY:  K perMass[K] program(3K outputs: x, y, z of each term)
 *     EXTERNAL_ENERGY:      program(one output per term)
 *     PAIRS:                mode(GRID | ALL) reach K (hasCutoff cutoff² exclude)[K]
 *                           force program(K fScale outputs) energy program(K outputs)
 *     BOND:                 table paramOffset nPerBond force program(1) energy program(1)
 *   program: nRegisters nConstants nLoads nInstructions nOutputs
 *            constant[nConstants] (pool indices)  load[nLoads] (source, index)
 *            instruction[nInstructions] (op, dst, a, b, c)  output[nOutputs] (registers)
 *
 * Registers [0, nConstants) hold constants, the next nLoads the variables, the rest temporaries
 * (reused once dead, never as the destination of an instruction that reads them). The native side
 * validates every word before anything runs: malformed bytecode is a typed error, never a crash.
 */
export const BYTECODE_MAGIC = 0x43425242; // "BRBC" read as little-endian uint32
export const BYTECODE_VERSION = 1;

export const SECTION = { particle: 1, velocity: 2, externalEnergy: 3, pairs: 4, bond: 5 } as const;
export const PAIR_MODE = { grid: 0, all: 1 } as const;

/** Opcodes; every function of core's language, and `c >= 0 ? a : b` (select over step, as emit-core writes it). */
export const OP = {
  neg: 1,
  add: 2,
  sub: 3,
  mul: 4,
  div: 5,
  pow: 6,
  sqrt: 7,
  exp: 8,
  log: 9,
  sin: 10,
  cos: 11,
  tan: 12,
  asin: 13,
  acos: 14,
  atan: 15,
  sinh: 16,
  cosh: 17,
  tanh: 18,
  erf: 19,
  erfc: 20,
  abs: 21,
  step: 22,
  floor: 23,
  ceil: 24,
  min: 25,
  max: 26,
  select: 27,
  selectNonNegative: 28,
} as const;

/** Where a variable register is loaded from. Particle programs read particle i; two-body programs the pair (i, j) or bond b. */
export const SOURCE = {
  px: 0,
  py: 1,
  pz: 2,
  vx: 3,
  vy: 4,
  vz: 5,
  mass: 6,
  radius: 7,
  time: 8,
  attribute: 9,
  r: 16,
  mass1: 17,
  mass2: 18,
  radius1: 19,
  radius2: 20,
  attribute1: 21,
  attribute2: 22,
  bondParam: 23,
} as const;

export interface InterpreterBytecode {
  code: Uint32Array;
  constants: Float64Array;
  /** What the caller puts behind br_gen_input's arrays: the same layout as the generated C++. */
  layout: GeneratedLayout;
}

const PARTICLE_SOURCES: Record<string, number> = {
  x: SOURCE.px,
  y: SOURCE.py,
  z: SOURCE.pz,
  vx: SOURCE.vx,
  vy: SOURCE.vy,
  vz: SOURCE.vz,
  m: SOURCE.mass,
  radius: SOURCE.radius,
  t: SOURCE.time,
};

type Resolve = (name: string) => [number, number];

/** emit-cpp's particleRead, as load sources. */
function particleSource(attributes: readonly string[]): Resolve {
  return (name) => {
    const s = PARTICLE_SOURCES[name];
    if (s !== undefined) return [s, 0];
    const k = attributes.indexOf(name);
    if (k < 0) throw new Error(`per-particle term: no column for variable '${name}'`);
    return [SOURCE.attribute, k];
  };
}

/** emit-cpp's twoBodyRead: `r`, then per-bond values, then `<base>1` / `<base>2`. */
function twoBodySource(attributes: readonly string[], perBond: readonly string[]): Resolve {
  return (name) => {
    if (name === 'r') return [SOURCE.r, 0];
    const p = perBond.indexOf(name);
    if (p >= 0) return [SOURCE.bondParam, p];
    const side = name.endsWith('1') ? 1 : name.endsWith('2') ? 2 : 0;
    const base = name.slice(0, -1);
    if (side) {
      if (base === 'm') return [side === 1 ? SOURCE.mass1 : SOURCE.mass2, 0];
      if (base === 'radius') return [side === 1 ? SOURCE.radius1 : SOURCE.radius2, 0];
      const k = attributes.indexOf(base);
      if (k >= 0) return [side === 1 ? SOURCE.attribute1 : SOURCE.attribute2, k];
    }
    throw new Error(`two-body term: no source for variable '${name}'`);
  };
}

const FUNCTION_OPS: Record<FunctionName, number> = {
  sqrt: OP.sqrt,
  exp: OP.exp,
  log: OP.log,
  sin: OP.sin,
  cos: OP.cos,
  tan: OP.tan,
  asin: OP.asin,
  acos: OP.acos,
  atan: OP.atan,
  sinh: OP.sinh,
  cosh: OP.cosh,
  tanh: OP.tanh,
  erf: OP.erf,
  erfc: OP.erfc,
  abs: OP.abs,
  step: OP.step,
  floor: OP.floor,
  ceil: OP.ceil,
  min: OP.min,
  max: OP.max,
  select: OP.select,
};

/** The constant pool shared by every program of one bytecode (equal values stored once; 0 and −0 apart). */
class Pool {
  readonly values: number[] = [];
  private readonly index = new Map<string, number>();
  add(v: number): number {
    const key = Object.is(v, -0) ? '-0' : String(v);
    let k = this.index.get(key);
    if (k === undefined) {
      k = this.values.length;
      this.values.push(v);
      this.index.set(key, k);
    }
    return k;
  }
}

/**
 * One program: buildProgram's CSE form of `outputs` (the very temps emit-cpp writes as C
 * statements), flattened to three-address instructions over virtual registers, then given
 * physical registers by a linear scan over their last uses.
 */
function encodeProgram(outputs: readonly Expr[], resolve: Resolve, pool: Pool): number[] {
  const program = buildProgram(outputs);
  const constants: number[] = []; // pool indices, one register each
  const constantReg = new Map<number, number>();
  const loads: [number, number][] = [];
  const loadReg = new Map<string, number>();
  // Constants and loads get the first registers; temporaries are virtual until the scan below.
  type Operand = { kind: 'const' | 'load' | 'temp'; k: number };
  const temps = new Map<string, Operand>();
  const code: { op: number; dst: number; args: Operand[] }[] = [];
  let virtuals = 0;

  const operand = (e: Expr): Operand => {
    switch (e.op) {
      case 'num': {
        const p = pool.add(e.value);
        let k = constantReg.get(p);
        if (k === undefined) {
          k = constants.length;
          constants.push(p);
          constantReg.set(p, k);
        }
        return { kind: 'const', k };
      }
      case 'var': {
        const t = temps.get(e.name);
        if (t !== undefined) return t;
        let k = loadReg.get(e.name);
        if (k === undefined) {
          k = loads.length;
          loads.push(resolve(e.name));
          loadReg.set(e.name, k);
        }
        return { kind: 'load', k };
      }
      default:
        return { kind: 'temp', k: instruction(e) };
    }
  };
  const emit = (op: number, args: Operand[]): number => {
    const dst = virtuals++;
    code.push({ op, dst, args });
    return dst;
  };
  function instruction(e: Expr): number {
    switch (e.op) {
      case 'num':
      case 'var':
        throw new Error('leaves are operands, not instructions');
      case 'neg':
        return emit(OP.neg, [operand(e.a)]);
      case 'add':
      case 'sub':
      case 'mul':
      case 'div':
      case 'pow':
        return emit(OP[e.op], [operand(e.a), operand(e.b)]);
      case 'powi':
        throw new Error('buildProgram expands integer powers: a powi cannot reach the bytecode');
      case 'call': {
        const [c, a, b] = e.args;
        if (e.fn === 'select' && c!.op === 'call' && c!.fn === 'step') {
          return emit(OP.selectNonNegative, [operand(c!.args[0]!), operand(a!), operand(b!)]);
        }
        return emit(FUNCTION_OPS[e.fn], e.args.map(operand));
      }
    }
  }

  for (const t of program.temps) temps.set(t.name, operand(t.expr));
  const outs = program.outputs.map(operand);

  // Linear scan: a virtual register dies at its last read (outputs live to the end).
  const lastUse = new Array<number>(virtuals).fill(-1);
  code.forEach((ins, at) => {
    for (const a of ins.args) if (a.kind === 'temp') lastUse[a.k] = at;
  });
  for (const o of outs) if (o.kind === 'temp') lastUse[o.k] = code.length;
  const base = constants.length + loads.length;
  const physical = new Array<number>(virtuals).fill(-1);
  const free: number[] = [];
  let registers = base;
  const reg = (a: Operand): number => (a.kind === 'const' ? a.k : a.kind === 'load' ? constants.length + a.k : physical[a.k]!);
  const words: number[] = [];
  code.forEach((ins, at) => {
    // The destination is taken before this instruction's dying operands are freed, so it never aliases them.
    const dst = free.length ? free.pop()! : registers++;
    physical[ins.dst] = dst;
    const args = ins.args.map(reg);
    words.push(ins.op, dst, args[0] ?? 0, args[1] ?? 0, args[2] ?? 0);
    for (const a of new Set(ins.args.filter((x) => x.kind === 'temp' && lastUse[x.k] === at).map((x) => x.k))) free.push(physical[a]!);
    if (lastUse[ins.dst] === -1) free.push(dst); // never read (cannot happen for CSE output; harmless)
  });
  return [registers, constants.length, loads.length, code.length, outs.length, ...constants, ...loads.flat(), ...words, ...outs.map(reg)];
}

/** The layout generateCpp gives the same plan (attributes, bond tables with their per-bond offsets, exclusions). */
export function bytecodeLayout(plan: KernelPlan): GeneratedLayout {
  return generatedLayout(plan);
}

/** The plan's expression terms as interpreter bytecode; the term groups are those of emit-cpp's generateCpp. */
export function encodeBytecode(plan: KernelPlan): InterpreterBytecode {
  const layout = bytecodeLayout(plan);
  const attributes = layout.attributes;
  const pool = new Pool();
  const sections: number[][] = [];
  const section = (kind: number, body: number[]) => sections.push([kind, body.length, ...body]);

  const staticFields = plan.fields.filter((f) => !f.usesVelocity);
  const velocityFields = plan.fields.filter((f) => f.usesVelocity);
  const particle = particleSource(attributes);
  const particleTerms = [
    ...plan.external.map((e) => ({ outputs: e.force, perMass: 1 })),
    ...staticFields.map((f) => ({ outputs: f.acceleration, perMass: 0 })),
  ];
  if (particleTerms.length) {
    section(SECTION.particle, [
      particleTerms.length,
      ...particleTerms.map((t) => t.perMass),
      ...encodeProgram(
        particleTerms.flatMap((t) => t.outputs),
        particle,
        pool,
      ),
    ]);
  }
  if (velocityFields.length) {
    section(SECTION.velocity, [
      velocityFields.length,
      ...velocityFields.map(() => 0),
      ...encodeProgram(
        velocityFields.flatMap((f) => f.acceleration),
        particle,
        pool,
      ),
    ]);
  }
  if (plan.external.length) {
    section(
      SECTION.externalEnergy,
      encodeProgram(
        plan.external.map((e) => e.energy),
        particle,
        pool,
      ),
    );
  }

  const pairs = twoBodySource(attributes, []);
  const gridTerms = plan.pairs.filter((p) => p.cutoff !== null);
  const rowTerms = plan.pairs.filter((p) => p.cutoff === null);
  for (const [mode, terms] of [
    [PAIR_MODE.grid, gridTerms],
    [PAIR_MODE.all, rowTerms],
  ] as const) {
    if (!terms.length) continue;
    const reach = Math.max(0, ...terms.map((p) => p.cutoff ?? 0));
    section(SECTION.pairs, [
      mode,
      pool.add(reach),
      terms.length,
      ...terms.flatMap((t) => [t.cutoff === null ? 0 : 1, pool.add(t.cutoff === null ? 0 : t.cutoff * t.cutoff), t.excludeBonds ? 1 : 0]),
      ...encodeProgram(
        terms.map((t) => t.fScale),
        pairs,
        pool,
      ),
      ...encodeProgram(
        terms.map((t) => t.energy),
        pairs,
        pool,
      ),
    ]);
  }
  plan.bonds.forEach((bond, k) => {
    const { perBond, paramOffset } = layout.bonds[k]!;
    const source = twoBodySource(attributes, perBond);
    section(SECTION.bond, [
      k,
      paramOffset,
      perBond.length,
      ...encodeProgram([bond.fScale], source, pool),
      ...encodeProgram([bond.energy], source, pool),
    ]);
  });

  const box = plan.periodic;
  const boxWords = box ? [...box.length.map((v) => pool.add(v)), ...box.min.map((v) => pool.add(v))] : [0, 0, 0, 0, 0, 0];
  const nParams = layout.bonds.reduce((s, b) => s + b.perBond.length, 0);
  const header = [
    BYTECODE_MAGIC,
    BYTECODE_VERSION,
    attributes.length,
    plan.bonds.length,
    nParams,
    layout.exclusions ? 1 : 0,
    box ? 1 : 0,
    ...boxWords,
    sections.length,
  ];
  return { code: Uint32Array.from([...header, ...sections.flat()]), constants: Float64Array.from(pool.values), layout };
}

/** The addon's interpreter entry points (native/src/interp/interp_js.cpp). */
export interface InterpreterAddon {
  /** An opaque handle (a GeneratedForces running the bytecode) that a NativeContext accepts; throws a typed error on malformed bytecode. */
  createInterpretedForces(bytecode: { code: Uint32Array; constants: Float64Array }, options?: { threads?: number; isa?: string }): object;
  /** Runs an interpreter handle on columns given from JS (tests, tools): the accelerations of `what` and the potential. */
  evaluateInterpretedForces(handle: object, input: InterpreterInput, what: number): InterpreterResult;
  /** The format constants the native side was built with (checked against this file's by the tests). */
  interpreterFormat(): {
    magic: number;
    version: number;
    ops: Record<string, number>;
    sources: Record<string, number>;
    sections: Record<string, number>;
  };
}

export interface InterpreterInput {
  t: number;
  px: Float32Array;
  py: Float32Array;
  pz: Float32Array;
  vx: Float32Array;
  vy: Float32Array;
  vz: Float32Array;
  mass: Float32Array;
  radius: Float32Array;
  attributes: Float32Array[];
  bonds: { i: Int32Array; j: Int32Array; params: Float32Array[] }[];
  exStart: Uint32Array;
  exList: Uint32Array;
}

export interface InterpreterResult {
  rc: number;
  ax: Float64Array;
  ay: Float64Array;
  az: Float64Array;
  potential: number;
  /** GeneratedForces::path() of the handle ("interpreter"). */
  path?: string;
  /** The block loops' instruction set ("scalar" or "avx2"). */
  isa?: string;
  /** Neighbour-list builds of the handle so far. */
  listBuilds?: number;
}
