import { ValidationError } from '../errors.js';
import { substitute, type Expr } from '../expr/index.js';
import { checkDistinct, columnList, expression, parameterTable } from './expression-options.js';
import { checkKeys, type RuleOf } from './rule.js';
import type { RuleDescriptor } from './descriptor.js';
import { uses } from './derive.js';
import { requireColumns } from './state-requirements.js';

export interface FieldOptions {
  /** [ax, ay, az]: accelerations that may read x y z vx vy vz t, `m`, `radius` and the perParticle columns. */
  acceleration: readonly [string, string, string];
  perParticle: readonly string[];
  parameters: Readonly<Record<string, number>>;
}
export interface FieldRule extends RuleOf<'field', FieldOptions> {
  readonly acceleration: readonly [Expr, Expr, Expr];
}

/**
 * Accelerations given directly, not from a potential (a magnetic force q v × B / m, a thermostat's
 * friction): nothing is conserved in general, and the rule has no potential energy.
 */
export function field(options: {
  acceleration: readonly [string, string, string];
  perParticle?: readonly string[];
  parameters?: Record<string, number>;
}): FieldRule {
  if (!options) throw new ValidationError('field', 'options {acceleration} are required');
  checkKeys('field', options, ['acceleration', 'perParticle', 'parameters']);
  const { acceleration } = options;
  if (!Array.isArray(acceleration) || acceleration.length !== 3) {
    throw new ValidationError('field.acceleration', "expected three expressions ['ax', 'ay', 'az']");
  }
  const perParticle = columnList('field', options.perParticle);
  const parameters = parameterTable('field', options.parameters);
  checkDistinct('field', { perParticle, parameters: Object.keys(parameters) });
  const variables = ['x', 'y', 'z', 'vx', 'vy', 'vz', 't', 'm', 'radius', ...perParticle, ...Object.keys(parameters)];
  const trees = acceleration.map((source, k) => expression(`field.acceleration[${k}]`, source, variables)) as [Expr, Expr, Expr];
  return {
    kind: 'field',
    options: { acceleration: [acceleration[0], acceleration[1], acceleration[2]], perParticle, parameters },
    conserves: [],
    phase: 'force',
    acceleration: trees,
  };
}

export const fieldDescriptor: RuleDescriptor<FieldRule> = {
  create: field,
  plan(rule, plan, index) {
    const acceleration = rule.acceleration.map((a) => substitute(a, rule.options.parameters)) as [Expr, Expr, Expr];
    plan.fields.push({
      rule: index,
      acceleration,
      columns: [...rule.options.perParticle],
      usesVelocity: uses(acceleration, 'vx', 'vy', 'vz'),
      usesTime: uses(acceleration, 't'),
    });
  },
  prepare(rule, state) {
    requireColumns('field', rule.options.perParticle, state);
  },
};
