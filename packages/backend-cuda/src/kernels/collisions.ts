import type { CollisionsRule } from '@brokenrecord/core';
import type { NativePlan } from '../native.js';

/** collisions: grid broadphase + Jacobi impulses (the CUDA kernels.cpp, collisions.cpp). */
export function planCollisions(plan: NativePlan, rule: CollisionsRule): void {
  plan.collisions = rule.options.restitution;
}
