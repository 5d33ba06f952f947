import type { DragRule } from '@brokenrecord/core';
import type { NativePlan } from '../native.js';

/** drag: several rules add up to one coefficient k in a = g − k·v (the CUDA kernels). */
export function planDrag(plan: NativePlan, rule: DragRule): void {
  plan.drag += rule.options.k;
}
