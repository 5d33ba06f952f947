import type { LocalField, StepPlan } from '../plan.js';
import type { Workspace } from '../workspace.js';
import { addPairwiseGravity } from './pairwise-gravity.js';

/**
 * Accelerations of particles lo..hi−1 from every force rule: the per-particle field first, then
 * each pairwise gravity rule in rule order. Reads all positions, writes only ax/ay/az[lo..hi).
 */
export function computeForces(plan: StepPlan, ws: Workspace, lo: number, hi: number): void {
  localAccelerations(ws, plan.local, lo, hi);
  for (const term of plan.pairwise) addPairwiseGravity(ws, term, lo, hi);
}

/**
 * Uniform gravity and drag: `a = g − k·v`, overwriting the accelerations. The fused loop
 * (fused.ts) evaluates the very same expression on locals; keep the two identical, or fused and
 * phase-by-phase runs stop agreeing bitwise.
 */
export function localAccelerations(ws: Workspace, field: LocalField, lo: number, hi: number): void {
  const { vx, vy, vz, ax, ay, az } = ws;
  const { gx, gy, gz, k } = field;
  if (k === 0) {
    // g − 0·v is g for every finite v: skipping the product changes no bit.
    ax.fill(gx, lo, hi);
    ay.fill(gy, lo, hi);
    az.fill(gz, lo, hi);
    return;
  }
  for (let i = lo; i < hi; i++) {
    ax[i] = gx - k * vx[i];
    ay[i] = gy - k * vy[i];
    az[i] = gz - k * vz[i];
  }
}
