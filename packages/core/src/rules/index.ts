import { ValidationError } from '../errors.js';
import { bondForceDescriptor, type BondForceRule } from './bond-force.js';
import { boundsDescriptor, type BoundsRule } from './bounds.js';
import { collisionsDescriptor, type CollisionsRule } from './collisions.js';
import { contactsDescriptor, type ContactsRule } from './contacts.js';
import type { RuleDescriptor } from './descriptor.js';
import { dragDescriptor, type DragRule } from './drag.js';
import { externalForceDescriptor, type ExternalForceRule } from './external-force.js';
import { fieldDescriptor, type FieldRule } from './field.js';
import { pairForceDescriptor, type PairForceRule } from './pair-force.js';
import { pairwiseGravityDescriptor, type PairwiseGravityRule } from './pairwise-gravity.js';
import { periodicDescriptor, type PeriodicRule } from './periodic.js';
import { RULE_KINDS, type RuleKind } from './rule.js';
import { uniformGravityDescriptor, type UniformGravityRule } from './uniform-gravity.js';

export * from './rule.js';
export * from './bounds.js';
export * from './collisions.js';
export * from './drag.js';
export * from './pairwise-gravity.js';
export * from './uniform-gravity.js';
export * from './pair-force.js';
export * from './external-force.js';
export * from './bond-force.js';
export * from './field.js';
export * from './periodic.js';
export * from './lennard-jones.js';
export * from './contacts.js';
export type { RuleDescriptor } from './descriptor.js';
export { forEachPairWithin, nearestImage, bondedPairs } from './neighbor-pairs.js';

export type Rule =
  | UniformGravityRule
  | PairwiseGravityRule
  | CollisionsRule
  | BoundsRule
  | DragRule
  | PairForceRule
  | ExternalForceRule
  | BondForceRule
  | FieldRule
  | PeriodicRule
  | ContactsRule;

export type RuleOfKind<K extends RuleKind> = Extract<Rule, { kind: K }>;

/** One descriptor per kind; the mapped type makes a kind without one a compile error. */
export const DESCRIPTORS: { readonly [K in RuleKind]: RuleDescriptor<RuleOfKind<K>> } = {
  uniformGravity: uniformGravityDescriptor,
  pairwiseGravity: pairwiseGravityDescriptor,
  collisions: collisionsDescriptor,
  bounds: boundsDescriptor,
  drag: dragDescriptor,
  pairForce: pairForceDescriptor,
  externalForce: externalForceDescriptor,
  bondForce: bondForceDescriptor,
  field: fieldDescriptor,
  periodic: periodicDescriptor,
  contacts: contactsDescriptor,
};

/** The descriptor of a rule's kind, typed for that rule. */
export function describe<R extends Rule>(rule: R): RuleDescriptor<R> {
  return DESCRIPTORS[rule.kind] as unknown as RuleDescriptor<R>;
}

/** Rebuilds (and re-validates) a rule from its `{kind, options}` JSON form, as stored in snapshots. */
export function ruleFromJSON(json: unknown): Rule {
  const { kind, options } = (json ?? {}) as { kind?: unknown; options?: unknown };
  if (typeof kind !== 'string' || !(RULE_KINDS as readonly string[]).includes(kind)) {
    throw new ValidationError('rule.kind', `unknown rule ${JSON.stringify(kind)}`);
  }
  return (DESCRIPTORS[kind as RuleKind].create as (o: unknown) => Rule)(options ?? {});
}

export function ruleToJSON(rule: Rule): { kind: RuleKind; options: unknown } {
  return { kind: rule.kind, options: rule.options };
}
