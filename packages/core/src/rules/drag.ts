import { ValidationError } from '../errors.js';
import { checkKeys, finiteNumber, type RuleOf } from './rule.js';
import type { RuleDescriptor } from './descriptor.js';

export interface DragOptions {
  /** Linear drag coefficient k ≥ 0 (per unit time). */
  k: number;
}
export type DragRule = RuleOf<'drag', DragOptions>;

/** `a −= k v`: dissipative, conserves nothing. */
export function drag(options: { k: number }): DragRule {
  if (!options) throw new ValidationError('drag', 'options {k} are required');
  checkKeys('drag', options, ['k']);
  const k = finiteNumber('drag.k', options.k, (v) => (v < 0 ? 'must be >= 0' : null));
  return { kind: 'drag', options: { k }, conserves: [], phase: 'force' };
}

export const dragDescriptor: RuleDescriptor<DragRule> = {
  create: drag,
  plan(rule, plan) {
    plan.drag += rule.options.k;
  },
};
