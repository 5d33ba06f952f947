import type { Integrator, SystemDefinition } from '@brokenrecord/core';
import { addDrag } from './kernels/drag.js';
import { addUniformGravity } from './kernels/uniform-gravity.js';

/**
 * The forces that depend on a particle alone, folded into `a = g − k·v`. Folding keeps the fused
 * per-particle loop and the phase-by-phase loop on one evaluation order, so they agree bitwise.
 */
export interface LocalField {
  gx: number;
  gy: number;
  gz: number;
  /** Total linear drag coefficient; 0 when the system has no drag. */
  k: number;
}

export interface PairwiseTerm {
  G: number;
  /** Softening squared. */
  eps2: number;
}

export interface BoundsBox {
  min: [number, number, number];
  max: [number, number, number];
  restitution: number;
}

/**
 * A system compiled into what the kernels need: plain numbers only, so it can be posted to worker
 * threads as it is.
 */
export interface StepPlan {
  integrator: Integrator;
  dt: number;
  local: LocalField;
  pairwise: PairwiseTerm[];
  /** Restitution of the collisions rule, or null without collisions. */
  collisions: number | null;
  bounds: BoundsBox | null;
  /** No rule couples particles: each one can be stepped alone, all n steps at once (step fusion). */
  perParticle: boolean;
}

export function compilePlan(system: SystemDefinition, dt: number): StepPlan {
  const local: LocalField = { gx: 0, gy: 0, gz: 0, k: 0 };
  const pairwise: PairwiseTerm[] = [];
  let collisions: number | null = null;
  let bounds: BoundsBox | null = null;
  for (const rule of system.rules) {
    switch (rule.kind) {
      case 'uniformGravity':
        addUniformGravity(local, rule.options.g);
        break;
      case 'drag':
        addDrag(local, rule.options.k);
        break;
      case 'pairwiseGravity':
        pairwise.push({ G: rule.options.G, eps2: rule.options.softening * rule.options.softening });
        break;
      case 'collisions':
        collisions = rule.options.restitution;
        break;
      case 'bounds':
        // Walls are float32, like the state: every backend then finds the same wall positions.
        bounds = {
          min: [Math.fround(rule.options.min[0]), Math.fround(rule.options.min[1]), Math.fround(rule.options.min[2])],
          max: [Math.fround(rule.options.max[0]), Math.fround(rule.options.max[1]), Math.fround(rule.options.max[2])],
          restitution: rule.options.restitution,
        };
        break;
    }
  }
  return {
    integrator: system.integrator,
    dt,
    local,
    pairwise,
    collisions,
    bounds,
    perParticle: pairwise.length === 0 && collisions === null,
  };
}
