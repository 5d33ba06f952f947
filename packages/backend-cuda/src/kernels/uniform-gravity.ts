import type { UniformGravityRule } from '@brokenrecord/core';
import type { NativePlan } from '../native.js';

/** uniformGravity: adds g to the summed field (native kernels: a = g − k·v) and its potential −m g·x. */
export function planUniformGravity(plan: NativePlan, rule: UniformGravityRule): void {
  const [gx, gy, gz] = rule.options.g;
  plan.gravity[0] += gx;
  plan.gravity[1] += gy;
  plan.gravity[2] += gz;
  plan.potentials.push({ kind: 'uniform', g: [gx, gy, gz] });
}
