import {
  defineSystem,
  pairwiseGravity,
  usesGravityTree,
  type BackendInfo,
  type GravityMethod,
  type SystemDefinition,
} from '@brokenrecord/core';

export const GRAVITY_METHODS: readonly GravityMethod[] = ['direct', 'tree', 'auto'];

/** `?gravity=tree` (or direct, auto) from the URL; null when absent or not a method. */
export function gravityMethodFrom(value: string | null): GravityMethod | null {
  return GRAVITY_METHODS.find((m) => m === value) ?? null;
}

/** The system with every pairwiseGravity rule's method replaced (the page's `?gravity=` choice). */
export function withGravityMethod(system: SystemDefinition, method: GravityMethod): SystemDefinition {
  return defineSystem({
    integrator: system.integrator,
    conserves: system.conserves,
    rules: system.rules.map((rule) => (rule.kind === 'pairwiseGravity' ? pairwiseGravity({ ...rule.options, method }) : rule)),
  });
}

/**
 * How the running backend evaluates the system's gravity, in words ("Barnes–Hut tree, θ = 0.5"
 * or "all pairs"), or null without pairwise gravity: the tree where the rule asks for it ('tree',
 * or 'auto' at core's size threshold) and the backend declares the capability, all pairs
 * otherwise (what core's selection and the backends do).
 */
export function describeGravity(system: SystemDefinition, count: number, backend: BackendInfo | undefined): string | null {
  const rules = system.rules.filter((r) => r.kind === 'pairwiseGravity');
  if (rules.length === 0) return null;
  const hasTree = backend?.capabilities.includes('gravity:tree') ?? false;
  return rules
    .map(({ options }) => {
      const tree = hasTree && usesGravityTree(options, count);
      const how = tree ? `Barnes–Hut tree, θ = ${options.theta}` : 'all pairs';
      return options.method === 'auto' ? `${how} (auto)` : how;
    })
    .join('; ');
}
