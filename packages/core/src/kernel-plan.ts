import type { SystemDefinition } from './system.js';

/**
 * A system flattened into the plain numbers that kernels written outside JavaScript read (the
 * native and CUDA addons): rules of one kind are summed or listed, so a kernel never parses rules.
 */
export interface KernelPlan {
  integrator: 'euler' | 'verlet';
  dt: number;
  /** Sum of every uniformGravity rule's g, in rule order. */
  gravity: [number, number, number];
  /** Sum of every drag rule's k: a = g − k·v. */
  drag: number;
  /** One all-pairs term per pairwiseGravity rule. */
  pairwise: { G: number; eps2: number }[];
  /** Restitution of the collisions rule, or null. */
  collisions: number | null;
  /** The box of the bounds rule, or null (kernels round min and max to float32: docs/physics.md). */
  bounds: { min: [number, number, number]; max: [number, number, number]; restitution: number } | null;
  /** The rules with a potential energy, in rule order (diagnostics). */
  potentials: ({ kind: 'uniform'; g: [number, number, number] } | { kind: 'pairwise'; G: number; eps2: number })[];
}

export function compileKernelPlan(system: SystemDefinition, dt: number): KernelPlan {
  const plan: KernelPlan = {
    integrator: system.integrator,
    dt,
    gravity: [0, 0, 0],
    drag: 0,
    pairwise: [],
    collisions: null,
    bounds: null,
    potentials: [],
  };
  for (const rule of system.rules) {
    switch (rule.kind) {
      case 'uniformGravity': {
        const [gx, gy, gz] = rule.options.g;
        plan.gravity[0] += gx;
        plan.gravity[1] += gy;
        plan.gravity[2] += gz;
        plan.potentials.push({ kind: 'uniform', g: [gx, gy, gz] });
        break;
      }
      case 'drag':
        plan.drag += rule.options.k;
        break;
      case 'pairwiseGravity': {
        const { G, softening } = rule.options;
        const eps2 = softening * softening;
        plan.pairwise.push({ G, eps2 });
        plan.potentials.push({ kind: 'pairwise', G, eps2 });
        break;
      }
      case 'collisions':
        plan.collisions = rule.options.restitution;
        break;
      case 'bounds': {
        const { min, max, restitution } = rule.options;
        plan.bounds = { min: [min[0], min[1], min[2]], max: [max[0], max[1], max[2]], restitution };
        break;
      }
    }
  }
  return plan;
}
