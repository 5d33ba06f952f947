import type { LocalField } from '../plan.js';

/**
 * drag: `a −= k v`. Several drag rules add up to one coefficient; the per-particle acceleration
 * is evaluated by `accelerations` (forces.ts) and inline in the fused loop (fused.ts).
 */
export function addDrag(field: LocalField, k: number): void {
  field.k += k;
}
