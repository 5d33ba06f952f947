import { usesGravityTree } from '@brokenrecord/core';
import type { StepPlan } from '../plan.js';
import type { Workspace } from '../workspace.js';
import { treeGravity } from './gravity-tree/index.js';
import type { PhaseSync } from './integrate.js';
import { pairwiseGravity } from './pairwise-gravity.js';

/**
 * The pairwise-gravity accelerations fx/fy/fz of particles lo..hi−1, every pairwise rule in rule
 * order, each by all pairs or by the tree (`usesGravityTree` on the particle count, the same for
 * every participant). Reads all positions: the other participants must not be drifting meanwhile.
 */
export function pairwiseForces(plan: StepPlan, ws: Workspace, lo: number, hi: number, sync: PhaseSync): void {
  plan.pairwise.forEach((term, k) => {
    if (usesGravityTree(term, ws.count)) treeGravity(ws, term, k === 0, sync);
    else pairwiseGravity(ws, term, k === 0, lo, hi);
  });
}

/**
 * The accelerations the next kick uses, for particles lo..hi−1: `a = (g − k·v) + f`, where g and k
 * fold uniform gravity and drag (evaluated with the velocity as it is now) and f is the
 * position-dependent part already in fx/fy/fz (pairwise gravity and the expression terms, see
 * expression-forces.ts). The fused loop (fused.ts) evaluates the very same expression on locals;
 * keep the two identical, or fused and phase-by-phase runs stop agreeing bitwise.
 */
export function accelerations(plan: StepPlan, ws: Workspace, lo: number, hi: number): void {
  const { vx, vy, vz, ax, ay, az, fx, fy, fz } = ws;
  const { gx, gy, gz, k } = plan.local;
  const pairwise = plan.positionForces;
  if (k === 0 && !pairwise) {
    // g − 0·v is g for every finite v: skipping the product changes no bit.
    ax.fill(gx, lo, hi);
    ay.fill(gy, lo, hi);
    az.fill(gz, lo, hi);
    return;
  }
  for (let i = lo; i < hi; i++) {
    let a = gx - k * vx[i],
      b = gy - k * vy[i],
      c = gz - k * vz[i];
    if (pairwise) {
      a += fx[i];
      b += fy[i];
      c += fz[i];
    }
    ax[i] = a;
    ay[i] = b;
    az[i] = c;
  }
}
