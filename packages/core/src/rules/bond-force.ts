import { ValidationError } from '../errors.js';
import type { Expr } from '../expr/index.js';
import { checkDistinct, columnList, expression, identifier, ownName, parameterTable, twoBodyVariables } from './expression-options.js';
import { checkKeys, finiteNumber, type RuleOf } from './rule.js';
import type { RuleDescriptor } from './descriptor.js';
import { twoBody } from './derive.js';
import { installBonds, requireColumns } from './state-requirements.js';
import { bondEnergy } from './reference-energy.js';

export interface BondForceOptions {
  /** U(r) of one bond, r = |x_j − x_i|; may read per-bond values, parameters and both particles' columns. */
  energy: string;
  /** Bonds as index pairs; installed into the state's bond table `group` when the state has none yet. */
  bonds: readonly (readonly [number, number])[] | null;
  /** One value per bond for each name (read as the plain name in `energy`). */
  perBond: Readonly<Record<string, readonly number[]>>;
  perParticle: readonly string[];
  parameters: Readonly<Record<string, number>>;
  /** Name of the state's bond table (ParticleState.setBonds); default 'bonds'. */
  group: string;
}
export interface BondForceRule extends RuleOf<'bondForce', BondForceOptions> {
  readonly energy: Expr;
}

/**
 * Forces along listed bonds from a potential U(r) (springs, FENE, Morse). The topology lives in the
 * state (`state.bonds(group)`), so it follows `remove` (bonds of a removed particle are dropped)
 * and snapshots; `bonds` here is the initial topology. Internal and central: energy, momentum and
 * angular momentum hold.
 */
export function bondForce(options: {
  energy: string;
  bonds?: readonly (readonly [number, number])[];
  perBond?: Record<string, readonly number[]>;
  perParticle?: readonly string[];
  parameters?: Record<string, number>;
  group?: string;
}): BondForceRule {
  if (!options) throw new ValidationError('bondForce', 'options {energy, bonds} are required');
  checkKeys('bondForce', options, ['energy', 'bonds', 'perBond', 'perParticle', 'parameters', 'group']);
  const group = identifier('bondForce.group', options.group ?? 'bonds');
  const bonds = options.bonds === undefined || options.bonds === null ? null : bondList(options.bonds);
  const perBond = perBondTable(options.perBond, bonds);
  const perParticle = columnList('bondForce', options.perParticle);
  const parameters = parameterTable('bondForce', options.parameters);
  checkDistinct('bondForce', {
    perParticle: perParticle.flatMap((c) => [`${c}1`, `${c}2`]),
    parameters: Object.keys(parameters),
    perBond: Object.keys(perBond),
  });
  const variables = twoBodyVariables(perParticle, [...Object.keys(parameters), ...Object.keys(perBond)]);
  const energy = expression('bondForce.energy', options.energy, variables);
  return {
    kind: 'bondForce',
    options: { energy: options.energy, bonds, perBond, perParticle, parameters, group },
    conserves: ['energy', 'momentum', 'angularMomentum'],
    phase: 'force',
    energy,
  };
}

function bondList(value: unknown): [number, number][] {
  if (!Array.isArray(value)) throw new ValidationError('bondForce.bonds', 'expected [[i, j], ...]');
  return value.map((pair, b) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw new ValidationError(`bondForce.bonds[${b}]`, 'expected [i, j]');
    const [i, j] = pair.map((v, k) => {
      if (!Number.isInteger(v) || v < 0) throw new ValidationError(`bondForce.bonds[${b}][${k}]`, `${String(v)} is not a particle index`);
      return v as number;
    });
    if (i === j) throw new ValidationError(`bondForce.bonds[${b}]`, `bonds particle ${i} to itself`);
    return [i, j];
  });
}

function perBondTable(value: unknown, bonds: readonly unknown[] | null): Record<string, number[]> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError('bondForce.perBond', 'expected { name: [one value per bond] }');
  }
  const out: Record<string, number[]> = {};
  for (const [name, values] of Object.entries(value)) {
    ownName(`bondForce.perBond.${name}`, name);
    if (!Array.isArray(values)) throw new ValidationError(`bondForce.perBond.${name}`, 'expected an array of numbers');
    if (bonds && values.length !== bonds.length) {
      throw new ValidationError(`bondForce.perBond.${name}`, `has ${values.length} values for ${bonds.length} bonds`);
    }
    out[name] = values.map((v, b) => finiteNumber(`bondForce.perBond.${name}[${b}]`, v));
  }
  return out;
}

export const bondForceDescriptor: RuleDescriptor<BondForceRule> = {
  create: bondForce,
  plan(rule, plan, index) {
    const { energy, fScale } = twoBody(rule.energy, rule.options.parameters, null);
    plan.bonds.push({
      rule: index,
      energy,
      fScale,
      columns: [...rule.options.perParticle],
      group: rule.options.group,
      perBond: Object.keys(rule.options.perBond),
    });
  },
  potential(_rule, state, plan, index) {
    return bondEnergy(
      plan.bonds.find((t) => t.rule === index)!,
      state,
      plan.periodic,
    );
  },
  prepare(rule, state) {
    requireColumns('bondForce', rule.options.perParticle, state);
    installBonds(rule.options, state);
  },
};
