import type { CollisionsRule } from '@brokenrecord/core';
import type { NativePlan } from '../native.js';

/** collisions: grid broadphase + Jacobi impulses (native/src/kernels/broadphase.cpp, collisions.cpp). */
export function planCollisions(plan: NativePlan, rule: CollisionsRule): void {
  plan.collisions = rule.options.restitution;
}
