import { checkKeys, restitution, type Quantity, type RuleOf } from './rule.js';
import type { RuleDescriptor } from './descriptor.js';

export interface CollisionsOptions {
  /** Coefficient of restitution e ∈ [0, 1]. Default 1 (elastic). */
  restitution: number;
}
export type CollisionsRule = RuleOf<'collisions', CollisionsOptions>;

/**
 * Sphere–sphere impulses for every overlapping, approaching pair. Impulses act along the line of
 * centres, so momentum and angular momentum hold; kinetic energy only when e = 1.
 */
export function collisions(options: Partial<CollisionsOptions> = {}): CollisionsRule {
  checkKeys('collisions', options, ['restitution']);
  const e = options.restitution === undefined ? 1 : restitution('collisions.restitution', options.restitution);
  const conserves: Quantity[] = e === 1 ? ['energy', 'momentum', 'angularMomentum'] : ['momentum', 'angularMomentum'];
  return { kind: 'collisions', options: { restitution: e }, conserves, phase: 'contact' };
}

export const collisionsDescriptor: RuleDescriptor<CollisionsRule> = {
  create: collisions,
  plan(rule, plan) {
    plan.collisions = rule.options.restitution;
  },
};
