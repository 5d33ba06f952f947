import type { BoundsRule } from '@brokenrecord/core';
import type { NativePlan } from '../native.js';

/** bounds: reflect at the walls, then clamp after the drift (physics.h reflect_at_walls, clamp_to_walls). */
export function planBounds(plan: NativePlan, rule: BoundsRule): void {
  const { min, max, restitution } = rule.options;
  plan.bounds = { min: [min[0], min[1], min[2]], max: [max[0], max[1], max[2]], restitution };
}
