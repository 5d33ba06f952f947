import { checkKeys, restitution, type Quantity, type RuleOf } from './rule.js';
import type { RuleDescriptor } from './descriptor.js';

export interface CollisionsOptions {
  /** Coefficient of restitution e ∈ [0, 1]. Default 1 (elastic). */
  restitution: number;
}
export type CollisionsRule = RuleOf<'collisions', CollisionsOptions>;

/**
 * Most sweeps over the touching pairs in one contact phase (docs/physics.md, "Collisions"). A
 * phase that still applies an impulse in its last sweep stops there; backends count such steps
 * (`Diagnostics.unresolvedContactSteps`). Every backend uses this very number.
 */
export const COLLISION_SWEEP_LIMIT = 64;

/**
 * Hard-sphere contacts: every touching pair that approaches takes the exact binary impulse along
 * the line of centres, pair after pair in a fixed order, sweep after sweep until none approaches.
 * Each impulse keeps momentum and angular momentum; kinetic energy too when e = 1, and it loses
 * exactly ½(1 − e²)·μ·u² otherwise.
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
