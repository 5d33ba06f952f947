import { ValidationError } from '../errors.js';
import { freeVariables, type Expr } from '../expr/index.js';
import { checkDistinct, columnList, expression, parameterTable } from './expression-options.js';
import { checkKeys, type Quantity, type RuleOf } from './rule.js';
import type { RuleDescriptor } from './descriptor.js';
import { gradientForce, uses } from './derive.js';
import { requireColumns } from './state-requirements.js';
import { externalEnergy } from './reference-energy.js';

export interface ExternalForceOptions {
  /** U(x, y, z, t) of one particle; may read `m`, `radius` and its perParticle columns. */
  energy: string;
  perParticle: readonly string[];
  parameters: Readonly<Record<string, number>>;
}
export interface ExternalForceRule extends RuleOf<'externalForce', ExternalForceOptions> {
  readonly energy: Expr;
}

/**
 * A force on each particle alone from a potential, F = −∇U(x, y, z, t). It pushes the system, so
 * momentum is not conserved; energy is, unless U depends on the time.
 */
export function externalForce(options: {
  energy: string;
  perParticle?: readonly string[];
  parameters?: Record<string, number>;
}): ExternalForceRule {
  if (!options) throw new ValidationError('externalForce', 'options {energy} are required');
  checkKeys('externalForce', options, ['energy', 'perParticle', 'parameters']);
  const perParticle = columnList('externalForce', options.perParticle);
  const parameters = parameterTable('externalForce', options.parameters);
  checkDistinct('externalForce', { perParticle, parameters: Object.keys(parameters) });
  const variables = ['x', 'y', 'z', 't', 'm', 'radius', ...perParticle, ...Object.keys(parameters)];
  const energy = expression('externalForce.energy', options.energy, variables);
  const conserves: Quantity[] = freeVariables(energy).has('t') ? [] : ['energy'];
  return { kind: 'externalForce', options: { energy: options.energy, perParticle, parameters }, conserves, phase: 'force', energy };
}

export const externalForceDescriptor: RuleDescriptor<ExternalForceRule> = {
  create: externalForce,
  plan(rule, plan, index) {
    const { energy, force } = gradientForce(rule.energy, rule.options.parameters);
    plan.external.push({ rule: index, energy, force, columns: [...rule.options.perParticle], usesTime: uses([energy, ...force], 't') });
  },
  potential(_rule, state, plan, index, time) {
    return externalEnergy(
      plan.external.find((t) => t.rule === index)!,
      state,
      time,
    );
  },
  prepare(rule, state) {
    requireColumns('externalForce', rule.options.perParticle, state);
  },
};
