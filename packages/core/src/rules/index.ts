import { ValidationError } from '../errors.js';
import { bounds, type BoundsRule } from './bounds.js';
import { collisions, type CollisionsRule } from './collisions.js';
import { drag, type DragRule } from './drag.js';
import { pairwiseGravity, type PairwiseGravityRule } from './pairwise-gravity.js';
import { RULE_KINDS, type RuleKind } from './rule.js';
import { uniformGravity, type UniformGravityRule } from './uniform-gravity.js';

export * from './rule.js';
export * from './bounds.js';
export * from './collisions.js';
export * from './drag.js';
export * from './pairwise-gravity.js';
export * from './uniform-gravity.js';

export type Rule = UniformGravityRule | PairwiseGravityRule | CollisionsRule | BoundsRule | DragRule;

const FACTORIES: Record<RuleKind, (options: never) => Rule> = {
  uniformGravity,
  pairwiseGravity,
  collisions,
  bounds,
  drag,
};

/** Rebuilds (and re-validates) a rule from its `{kind, options}` JSON form, as stored in snapshots. */
export function ruleFromJSON(json: unknown): Rule {
  const { kind, options } = (json ?? {}) as { kind?: unknown; options?: unknown };
  if (typeof kind !== 'string' || !(RULE_KINDS as readonly string[]).includes(kind)) {
    throw new ValidationError('rule.kind', `unknown rule ${JSON.stringify(kind)}`);
  }
  return FACTORIES[kind as RuleKind]((options ?? {}) as never);
}

export function ruleToJSON(rule: Rule): { kind: RuleKind; options: unknown } {
  return { kind: rule.kind, options: rule.options };
}
