import {
  buildProgram,
  freeVariables,
  type Expr,
  type KernelPlan,
  type PeriodicBox,
  type Program,
  type TwoBodyTerm,
} from '@brokenrecord/core';
import { IR2, R, R2, rewriteOverR2 } from './rewrite.js';

/**
 * What the expression kernels of one system compute, as programs (straight-line code with common
 * subexpressions shared) plus where each variable comes from. The JavaScript generator (js.ts)
 * and the interpreter (interpret.ts) both work from this one description, loop for loop, so the
 * two compute the same operations in the same order and agree bitwise.
 */

/** Where a per-particle variable is read from: a state column or an attribute column. */
export type ParticleSource = { from: 'x' | 'y' | 'z' | 'vx' | 'vy' | 'vz' | 'm' | 'radius' | 't' } | { from: 'attribute'; name: string };

/** Where a two-body variable is read from. `slot` indexes the particle's packed values after x y z. */
export type TwoBodySource = { from: 'r' | 'r2' | 'ir2' } | { from: 'i' | 'j'; base: string; slot: number } | { from: 'bond'; name: string };

export interface TwoBodyProgram {
  /** Index of the rule in system.rules (for messages). */
  rule: number;
  /** One output: fScale (the force on i is fScale·(x_j − x_i)). */
  program: Program;
  /** Free variables of the program and where they come from, in a fixed order. */
  variables: { name: string; source: TwoBodySource }[];
  /** r² bound (strict), or null: every pair. */
  cutoff2: number | null;
  /** Skip pairs listed in the state's bond tables. */
  exclude: boolean;
}

/** Several pair terms sharing one loop over pairs. */
export interface PairLoopSpec {
  terms: TwoBodyProgram[];
  /** Bases packed per particle after x, y, z ('m', 'radius' or an attribute name). */
  packed: string[];
  /** Float64 values per particle in the packed copy: 3 + packed.length. */
  stride: number;
  /** Largest cutoff² of the loop's terms (the grid's test before the per-term ones); null without cutoff. */
  reach2: number | null;
  /** The loop must look up bonded pairs. */
  exclude: boolean;
}

export interface BondSpec extends TwoBodyProgram {
  /** Index into plan.bonds (and the topology's tables). */
  term: number;
  group: string;
}

/** Per-particle terms in one program: outputs are 3 per term, in term order. */
export interface ParticleSpec {
  program: Program;
  variables: { name: string; source: ParticleSource }[];
  /** For each term in order: divide by m (a force: externalForce) or not (an acceleration: field). */
  perMass: boolean[];
}

export interface ForceSpec {
  /** externalForce terms, then fields that do not read velocities: added to the cached fx/fy/fz. */
  particle: ParticleSpec | null;
  /** Fields that read velocities: added to the accelerations at every kick. */
  velocity: ParticleSpec | null;
  /** Cutoff pair terms through the cell grid (cell ≥ the largest cutoff). */
  grid: PairLoopSpec | null;
  /**
   * Pairs i < j of every particle: the terms without cutoff, or, in a periodic box too small for a
   * 3-cell grid, the cutoff terms with the nearest image per pair (`periodicRows`).
   */
  rows: PairLoopSpec | null;
  /** With a periodic box the grid terms also run here, when the box is too small for the grid. */
  periodicRows: PairLoopSpec | null;
  bonds: BondSpec[];
  periodic: PeriodicBox | null;
}

const PARTICLE_VARIABLES = ['x', 'y', 'z', 'vx', 'vy', 'vz', 'm', 'radius', 't'] as const;

function particleSource(name: string): ParticleSource {
  return (PARTICLE_VARIABLES as readonly string[]).includes(name)
    ? { from: name as (typeof PARTICLE_VARIABLES)[number] }
    : { from: 'attribute', name };
}

function sortedFree(p: Program): string[] {
  const temps = new Set(p.temps.map((t) => t.name));
  const names = new Set<string>();
  for (const e of [...p.temps.map((t) => t.expr), ...p.outputs]) for (const v of freeVariables(e)) if (!temps.has(v)) names.add(v);
  return [...names].sort();
}

function particleSpec(outputs: Expr[], perMass: boolean[], prefix: string): ParticleSpec {
  const program = buildProgram(outputs, { prefix });
  return { program, variables: sortedFree(program).map((name) => ({ name, source: particleSource(name) })), perMass };
}

/** Base name and particle (1 = i, 2 = j) of a two-body variable such as `sigma1` or `m2`. */
function splitSuffix(name: string, columns: readonly string[]): { base: string; side: 'i' | 'j' } | null {
  const side = name.endsWith('1') ? 'i' : name.endsWith('2') ? 'j' : null;
  if (!side) return null;
  const base = name.slice(0, -1);
  return base === 'm' || base === 'radius' || columns.includes(base) ? { base, side } : null;
}

function twoBody(
  term: TwoBodyTerm,
  rule: number,
  prefix: string,
  perBond: readonly string[],
  packed: string[],
): Omit<TwoBodyProgram, 'cutoff2' | 'exclude'> {
  const program = buildProgram([rewriteOverR2(term.fScale)], { prefix });
  const variables = sortedFree(program).map((name): { name: string; source: TwoBodySource } => {
    if (name === R) return { name, source: { from: 'r' } };
    if (name === R2) return { name, source: { from: 'r2' } };
    if (name === IR2) return { name, source: { from: 'ir2' } };
    if (perBond.includes(name)) return { name, source: { from: 'bond', name } };
    const split = splitSuffix(name, term.columns);
    if (!split) throw new Error(`pair term of rule ${rule}: no source for variable '${name}'`);
    let slot = packed.indexOf(split.base);
    if (slot < 0) slot = packed.push(split.base) - 1;
    return { name, source: { from: split.side, base: split.base, slot } };
  });
  return { rule, program, variables };
}

function pairLoop(terms: KernelPlan['pairs'], prefix: string): PairLoopSpec | null {
  if (terms.length === 0) return null;
  const packed: string[] = [];
  const programs = terms.map((t, k): TwoBodyProgram => ({
    ...twoBody(t, t.rule, `${prefix}${k}_`, [], packed),
    cutoff2: t.cutoff === null ? null : t.cutoff * t.cutoff,
    exclude: t.excludeBonds,
  }));
  const cut = programs.map((p) => p.cutoff2);
  return {
    terms: programs,
    packed,
    stride: 3 + packed.length,
    reach2: cut.every((c) => c !== null) ? Math.max(...(cut as number[])) : null,
    exclude: programs.some((p) => p.exclude),
  };
}

/** The system's expression terms as programs, specialised to what each loop reads. */
export function forceSpec(plan: KernelPlan): ForceSpec {
  const staticFields = plan.fields.filter((f) => !f.usesVelocity);
  const velocityFields = plan.fields.filter((f) => f.usesVelocity);
  const particleTerms = [...plan.external.map((e) => e.force), ...staticFields.map((f) => f.acceleration)];
  const cutoffPairs = plan.pairs.filter((p) => p.cutoff !== null);
  const allPairs = plan.pairs.filter((p) => p.cutoff === null);
  const grid = pairLoop(cutoffPairs, '_g');
  return {
    particle: particleTerms.length
      ? particleSpec(particleTerms.flat(), [...plan.external.map(() => true), ...staticFields.map(() => false)], '_e')
      : null,
    velocity: velocityFields.length
      ? particleSpec(
          velocityFields.flatMap((f) => f.acceleration),
          velocityFields.map(() => false),
          '_v',
        )
      : null,
    grid,
    rows: pairLoop(allPairs, '_a'),
    periodicRows: plan.periodic && grid ? grid : null,
    bonds: plan.bonds.map((b, k): BondSpec => {
      const packed: string[] = [];
      return { ...twoBody(b, b.rule, `_b${k}_`, b.perBond, packed), cutoff2: null, exclude: false, term: k, group: b.group };
    }),
    periodic: plan.periodic,
  };
}
