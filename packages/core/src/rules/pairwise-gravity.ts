import { checkKeys, finiteNumber, type RuleOf } from './rule.js';
import type { RuleDescriptor } from './descriptor.js';

export interface PairwiseGravityOptions {
  /** Gravitational constant. Default 1. */
  G: number;
  /** Plummer softening length ε ≥ 0. Default 0 (coincident particles are then a validation error). */
  softening: number;
}
export type PairwiseGravityRule = RuleOf<'pairwiseGravity', PairwiseGravityOptions>;

/**
 * All-pairs Newtonian gravity: `a_i += G Σ_j m_j (x_j − x_i) / (|x_j − x_i|² + ε²)^{3/2}`, potential
 * `−G m_i m_j / sqrt(r² + ε²)` per pair. Internal forces: momentum, angular momentum and energy hold.
 */
export function pairwiseGravity(options: Partial<PairwiseGravityOptions> = {}): PairwiseGravityRule {
  checkKeys('pairwiseGravity', options, ['G', 'softening']);
  return {
    kind: 'pairwiseGravity',
    options: {
      G: options.G === undefined ? 1 : finiteNumber('pairwiseGravity.G', options.G, (v) => (v < 0 ? 'must be >= 0' : null)),
      softening:
        options.softening === undefined
          ? 0
          : finiteNumber('pairwiseGravity.softening', options.softening, (v) => (v < 0 ? 'must be >= 0' : null)),
    },
    conserves: ['energy', 'momentum', 'angularMomentum'],
    phase: 'force',
  };
}

export const pairwiseGravityDescriptor: RuleDescriptor<PairwiseGravityRule> = {
  create: pairwiseGravity,
  plan(rule, plan) {
    const { G, softening } = rule.options;
    const eps2 = softening * softening;
    plan.pairwise.push({ G, eps2 });
    plan.potentials.push({ kind: 'pairwise', G, eps2 });
  },
  potential(rule, state) {
    const { px, py, pz, mass } = state;
    const n = state.count;
    const { G, softening } = rule.options;
    const eps2 = softening * softening;
    let u = 0;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = i + 1; j < n; j++) {
        const dx = px[j] - px[i],
          dy = py[j] - py[i],
          dz = pz[j] - pz[i];
        sum += mass[j] / Math.sqrt(dx * dx + dy * dy + dz * dz + eps2);
      }
      u -= G * mass[i] * sum;
    }
    return u;
  },
};
