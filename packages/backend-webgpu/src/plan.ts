import type { Integrator, SystemDefinition } from '@brokenrecord/core';

/** A system reduced to the numbers the kernels read (float64 here; the GPU gets float32). */
export interface StepPlan {
  integrator: Integrator;
  dt: number;
  /** Σ g of the uniformGravity rules, in rule order. */
  gravity: [number, number, number];
  /** Σ k of the drag rules. */
  drag: number;
  /** Each pairwiseGravity rule, in rule order (the first overwrites the cached accelerations). */
  pairwise: { G: number; softening2: number }[];
  /** Restitution of the collisions rule, or null without one. */
  collisions: number | null;
  bounds: { min: [number, number, number]; max: [number, number, number]; restitution: number } | null;
  /** No rule couples particles: all steps of a call run in one fused kernel. */
  perParticle: boolean;
}

export function compilePlan(system: SystemDefinition, dt: number): StepPlan {
  const plan: StepPlan = {
    integrator: system.integrator,
    dt,
    gravity: [0, 0, 0],
    drag: 0,
    pairwise: [],
    collisions: null,
    bounds: null,
    perParticle: true,
  };
  for (const rule of system.rules) {
    switch (rule.kind) {
      case 'uniformGravity':
        for (let k = 0; k < 3; k++) plan.gravity[k] += rule.options.g[k];
        break;
      case 'drag':
        plan.drag += rule.options.k;
        break;
      case 'pairwiseGravity':
        plan.pairwise.push({ G: rule.options.G, softening2: rule.options.softening * rule.options.softening });
        break;
      case 'collisions':
        plan.collisions = rule.options.restitution;
        break;
      case 'bounds':
        plan.bounds = {
          min: [...rule.options.min] as [number, number, number],
          max: [...rule.options.max] as [number, number, number],
          restitution: rule.options.restitution,
        };
        break;
    }
  }
  plan.perParticle = plan.pairwise.length === 0 && plan.collisions === null;
  return plan;
}
