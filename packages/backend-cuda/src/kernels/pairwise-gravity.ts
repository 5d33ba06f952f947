import type { PairwiseGravityRule } from '@brokenrecord/core';
import type { NativePlan } from '../native.js';

/** pairwiseGravity: one all-pairs term per rule (the CUDA kernels). */
export function planPairwiseGravity(plan: NativePlan, rule: PairwiseGravityRule): void {
  const { G, softening } = rule.options;
  const eps2 = softening * softening;
  plan.pairwise.push({ G, eps2 });
  plan.potentials.push({ kind: 'pairwise', G, eps2 });
}
