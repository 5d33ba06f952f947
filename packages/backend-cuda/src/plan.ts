import type { SystemDefinition } from '@brokenrecord/core';
import type { NativePlan } from './native.js';
import { planBounds } from './kernels/bounds.js';
import { planCollisions } from './kernels/collisions.js';
import { planDrag } from './kernels/drag.js';
import { planPairwiseGravity } from './kernels/pairwise-gravity.js';
import { planUniformGravity } from './kernels/uniform-gravity.js';

/** A system compiled into the plain numbers the native context reads. */
export function compileNativePlan(system: SystemDefinition, dt: number): NativePlan {
  const plan: NativePlan = {
    integrator: system.integrator,
    dt,
    gravity: [0, 0, 0],
    drag: 0,
    pairwise: [],
    collisions: null,
    bounds: null,
    potentials: [],
  };
  for (const rule of system.rules) {
    switch (rule.kind) {
      case 'uniformGravity': planUniformGravity(plan, rule); break;
      case 'drag': planDrag(plan, rule); break;
      case 'pairwiseGravity': planPairwiseGravity(plan, rule); break;
      case 'collisions': planCollisions(plan, rule); break;
      case 'bounds': planBounds(plan, rule); break;
    }
  }
  return plan;
}
