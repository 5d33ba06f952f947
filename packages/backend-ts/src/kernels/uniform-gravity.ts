import type { Vec3 } from '@brokenrecord/core';
import type { LocalField } from '../plan.js';

/**
 * uniformGravity: `a += g`. Several rules add up to one field vector, summed in rule order; the
 * per-particle acceleration is then evaluated by `accelerations` (forces.ts) and inline in the fused loop (fused.ts).
 */
export function addUniformGravity(field: LocalField, g: Vec3): void {
  field.gx += g[0];
  field.gy += g[1];
  field.gz += g[2];
}
