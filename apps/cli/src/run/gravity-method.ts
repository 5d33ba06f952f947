import { compileKernelPlan, GRAVITY_TREE_MIN_COUNT, usesGravityTree, type Quantity, type SystemDefinition } from '@brokenrecord/core';

/**
 * How the run's pairwiseGravity is evaluated, for the report: the Barnes–Hut tree (with θ) or all
 * pairs, and why ('auto' picks by the particle count). Null without pairwiseGravity. A backend
 * runs the tree only when it declares 'gravity:tree' (selection refuses it otherwise for 'tree');
 * for 'auto' on one without it, the line says so.
 */
export function describeGravity(system: SystemDefinition, count: number, capabilities: readonly string[]): string | null {
  const terms = compileKernelPlan(system, 1).pairwise;
  if (terms.length === 0) return null;
  const hasTree = capabilities.includes('gravity:tree');
  const parts = terms.map((term) => {
    const tree = hasTree && usesGravityTree(term, count);
    const how = tree ? `Barnes–Hut tree (θ = ${term.theta}, quadrupoles)` : 'all pairs';
    const why =
      term.method === 'auto'
        ? !hasTree
          ? ", method 'auto': this backend has no tree"
          : `, method 'auto': ${tree ? `N ≥ ${GRAVITY_TREE_MIN_COUNT}` : `N < ${GRAVITY_TREE_MIN_COUNT}`}`
        : `, method '${term.method}'`;
    return `${how}${why}`;
  });
  return `gravity: ${parts.join('; ')}`;
}

/**
 * The tree is not the direct sum: forces between a particle and a node are not pairwise opposite,
 * so momentum is kept only to the tree's force error, and energy to the error of the tree's
 * potential. Measured on galaxy (20,000 orbiters, θ = 0.5, 200 steps): momentum drifted 3.5e-5
 * of Σ m|v| and energy 4.4e-6 (the direct sum: below 1e-7); these floors leave a default-length
 * run (1000 steps) a wide margin while a wrong force still breaks them.
 */
export const TREE_TOLERANCES = { momentum: 1e-3, energy: 1e-4 } as const;

/** The scenario's tolerances, loosened to TREE_TOLERANCES where pairwiseGravity runs on the tree. */
export function gravityTolerances(
  tolerances: Readonly<Partial<Record<Quantity, number>>>,
  system: SystemDefinition,
  count: number,
  capabilities: readonly string[],
): Readonly<Partial<Record<Quantity, number>>> {
  const tree = capabilities.includes('gravity:tree') && compileKernelPlan(system, 1).pairwise.some((t) => usesGravityTree(t, count));
  if (!tree) return tolerances;
  const out: Partial<Record<Quantity, number>> = { ...tolerances };
  for (const [q, floor] of Object.entries(TREE_TOLERANCES) as [Quantity, number][]) out[q] = Math.max(tolerances[q] ?? 0, floor);
  return out;
}
