import { ValidationError } from '../errors.js';
import type { Expr } from '../expr/index.js';
import { checkDistinct, columnList, expression, parameterTable, positiveOrNull, twoBodyVariables } from './expression-options.js';
import { checkKeys, type RuleOf } from './rule.js';
import type { RuleDescriptor } from './descriptor.js';
import { twoBody } from './derive.js';
import { requireColumns } from './state-requirements.js';
import { pairEnergy } from './reference-energy.js';

export interface PairForceOptions {
  /** U(r) between particles i and j, r = |x_j − x_i|; `m1`, `q2`… are i's and j's values. */
  energy: string;
  /** Attribute columns read as `name1` / `name2`. */
  perParticle: readonly string[];
  parameters: Readonly<Record<string, number>>;
  /** Pairs farther apart than this interact not at all (a cell grid finds the others); null: all pairs. */
  cutoff: number | null;
  /** Shift the energy to 0 at the cutoff (the force is unchanged). */
  shift: boolean;
  /** 'bonds': pairs joined by a bondForce interact only through the bond. */
  exclude: 'none' | 'bonds';
}
export interface PairForceRule extends RuleOf<'pairForce', PairForceOptions> {
  /** The parsed energy (definitions substituted, parameters still named). */
  readonly energy: Expr;
}

/**
 * A force between every pair of particles derived from a potential: F_i = −∇_i U(|x_j − x_i|).
 * Internal and central: energy, momentum and angular momentum hold (up to integrator error and,
 * with a plain cutoff, the energy jump at rc).
 */
export function pairForce(options: {
  energy: string;
  perParticle?: readonly string[];
  parameters?: Record<string, number>;
  cutoff?: number | null;
  shift?: boolean;
  exclude?: 'none' | 'bonds';
}): PairForceRule {
  if (!options) throw new ValidationError('pairForce', 'options {energy} are required');
  checkKeys('pairForce', options, ['energy', 'perParticle', 'parameters', 'cutoff', 'shift', 'exclude']);
  const perParticle = columnList('pairForce', options.perParticle);
  const parameters = parameterTable('pairForce', options.parameters);
  checkDistinct('pairForce', { perParticle: perParticle.flatMap((c) => [`${c}1`, `${c}2`]), parameters: Object.keys(parameters) });
  const cutoff = positiveOrNull('pairForce.cutoff', options.cutoff);
  const shift = options.shift ?? false;
  if (typeof shift !== 'boolean') throw new ValidationError('pairForce.shift', 'expected true or false');
  if (shift && cutoff === null) throw new ValidationError('pairForce.shift', 'needs a cutoff (the energy is shifted to 0 there)');
  const exclude = options.exclude ?? 'none';
  if (exclude !== 'none' && exclude !== 'bonds') throw new ValidationError('pairForce.exclude', "expected 'none' or 'bonds'");
  const energy = expression('pairForce.energy', options.energy, twoBodyVariables(perParticle, Object.keys(parameters)));
  return {
    kind: 'pairForce',
    options: { energy: options.energy, perParticle, parameters, cutoff, shift, exclude },
    conserves: ['energy', 'momentum', 'angularMomentum'],
    phase: 'force',
    energy,
  };
}

export const pairForceDescriptor: RuleDescriptor<PairForceRule> = {
  create: pairForce,
  plan(rule, plan, index) {
    const { cutoff, shift, parameters, perParticle, exclude } = rule.options;
    const { energy, fScale } = twoBody(rule.energy, parameters, shift ? cutoff : null);
    plan.pairs.push({ rule: index, energy, fScale, columns: [...perParticle], cutoff, excludeBonds: exclude === 'bonds' });
  },
  potential(_rule, state, plan, index) {
    return pairEnergy(
      plan.pairs.find((t) => t.rule === index)!,
      state,
      plan.periodic,
    );
  },
  prepare(rule, state) {
    requireColumns('pairForce', rule.options.perParticle, state);
  },
};
