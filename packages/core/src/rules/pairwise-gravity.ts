import { ValidationError } from '../errors.js';
import { checkKeys, finiteNumber, type RuleOf } from './rule.js';
import type { RuleDescriptor } from './descriptor.js';

/** How the sum over pairs is evaluated: every pair, the Barnes–Hut tree, or the tree from a size up. */
export const GRAVITY_METHODS = ['direct', 'tree', 'auto'] as const;
export type GravityMethod = (typeof GRAVITY_METHODS)[number];

/**
 * `method: 'auto'` uses the tree from this many particles up (and all pairs below): around here
 * the tree's O(N log N) walk, with its larger cost per interaction, overtakes the N² sum on the
 * CPU backends, and its force error (median ~1e-4 at θ = 0.5, docs/physics.md) is well below the
 * integration error of the systems that large. Backends without the tree run all pairs whatever N.
 */
export const GRAVITY_TREE_MIN_COUNT = 8192;

/** The default opening angle θ (docs/physics.md "Gravity by tree"). */
export const DEFAULT_GRAVITY_THETA = 0.5;

export interface PairwiseGravityOptions {
  /** Gravitational constant. Default 1. */
  G: number;
  /** Plummer softening length ε ≥ 0. Default 0 (coincident particles are then a validation error). */
  softening: number;
  /**
   * 'direct': all pairs; 'tree': Barnes–Hut octree with quadrupoles (a backend without it refuses
   * the system); 'auto' (default): the tree from GRAVITY_TREE_MIN_COUNT particles up on backends that
   * implement it, all pairs otherwise.
   */
  method: GravityMethod;
  /** Opening angle of the tree, 0 < θ ≤ 1 (default 0.5); read only when the tree runs. */
  theta: number;
}
export type PairwiseGravityRule = RuleOf<'pairwiseGravity', PairwiseGravityOptions>;

/** One pairwiseGravity rule as kernels read it (KernelPlan.pairwise). */
export interface PairwiseGravityTerm {
  G: number;
  /** softening² in float64. */
  eps2: number;
  /** As given in the rule: 'auto' is resolved per step by `usesGravityTree` from the particle count. */
  method: GravityMethod;
  theta: number;
}

/**
 * Whether a backend that implements the tree evaluates `term` with it for `count` particles:
 * 'tree' always, 'direct' never, 'auto' from GRAVITY_TREE_MIN_COUNT up.
 */
export function usesGravityTree(term: Pick<PairwiseGravityTerm, 'method'>, count: number): boolean {
  return term.method === 'tree' || (term.method === 'auto' && count >= GRAVITY_TREE_MIN_COUNT);
}

function gravityMethod(value: unknown): GravityMethod {
  if (typeof value !== 'string' || !(GRAVITY_METHODS as readonly string[]).includes(value)) {
    throw new ValidationError(
      'pairwiseGravity.method',
      `${JSON.stringify(value)} is not one of ${GRAVITY_METHODS.map((m) => `'${m}'`).join(', ')}`,
    );
  }
  return value as GravityMethod;
}

/**
 * Newtonian gravity between all pairs: `a_i += G Σ_j m_j (x_j − x_i) / (|x_j − x_i|² + ε²)^{3/2}`,
 * potential `−G m_i m_j / sqrt(r² + ε²)` per pair, summed directly or approximated by a Barnes–Hut
 * tree (`method`, `theta`). Internal forces: momentum, angular momentum and energy hold exactly for
 * the direct sum; the tree breaks Newton's third law slightly, so they hold to its force error.
 */
export function pairwiseGravity(options: Partial<PairwiseGravityOptions> = {}): PairwiseGravityRule {
  checkKeys('pairwiseGravity', options, ['G', 'softening', 'method', 'theta']);
  return {
    kind: 'pairwiseGravity',
    options: {
      G: options.G === undefined ? 1 : finiteNumber('pairwiseGravity.G', options.G, (v) => (v < 0 ? 'must be >= 0' : null)),
      softening:
        options.softening === undefined
          ? 0
          : finiteNumber('pairwiseGravity.softening', options.softening, (v) => (v < 0 ? 'must be >= 0' : null)),
      method: options.method === undefined ? 'auto' : gravityMethod(options.method),
      theta:
        options.theta === undefined
          ? DEFAULT_GRAVITY_THETA
          : finiteNumber('pairwiseGravity.theta', options.theta, (v) => (v <= 0 || v > 1 ? 'must be within (0, 1]' : null)),
    },
    conserves: ['energy', 'momentum', 'angularMomentum'],
    phase: 'force',
  };
}

export const pairwiseGravityDescriptor: RuleDescriptor<PairwiseGravityRule> = {
  create: pairwiseGravity,
  plan(rule, plan) {
    const { G, softening, method, theta } = rule.options;
    const eps2 = softening * softening;
    plan.pairwise.push({ G, eps2, method, theta });
    plan.potentials.push({ kind: 'pairwise', G, eps2, method, theta });
  },
  /** The all-pairs sum, whatever the method: the reference the tree's energy is measured against. */
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
