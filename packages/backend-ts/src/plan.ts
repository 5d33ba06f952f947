import {
  compileKernelPlan,
  type ContactTerm,
  type Integrator,
  type KernelPlan,
  type PeriodicBox,
  type SystemDefinition,
} from '@brokenrecord/core';

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

export interface BoundsBox {
  min: [number, number, number];
  max: [number, number, number];
  restitution: number;
}

/**
 * What this backend's kernels read: core's KernelPlan (the one compiled plan, expression trees
 * included) plus flags derived from it. Plain data only, so it is posted to worker threads as it is.
 */
export interface StepPlan {
  kernel: KernelPlan;
  integrator: Integrator;
  dt: number;
  local: LocalField;
  pairwise: KernelPlan['pairwise'];
  /** Restitution of the collisions rule, or null without collisions. */
  collisions: number | null;
  /** Soft-sphere contacts (kernels/contacts.ts), evaluated at every kick: they read velocities. */
  contacts: ContactTerm | null;
  /** Walls rounded to float32, like the state (docs/physics.md). */
  bounds: BoundsBox | null;
  periodic: PeriodicBox | null;
  /** Some expression term (pair, bond, external, field) exists: the generated kernels run. */
  custom: boolean;
  /**
   * Accelerations that depend on positions (and t) only: pairwise gravity and every expression
   * term except fields that read velocities. They live in fx/fy/fz, which verlet carries from one
   * step (and call) to the next.
   */
  positionForces: boolean;
  /** Fields reading vx/vy/vz: evaluated again at every kick, like drag. */
  velocityFields: boolean;
  /** Some term reads `t`: the force cache also depends on the time it was computed at. */
  usesTime: boolean;
  /** No rule couples particles or needs more than the fused loop: step fusion applies. */
  perParticle: boolean;
}

export function compilePlan(system: SystemDefinition, dt: number): StepPlan {
  const kernel = compileKernelPlan(system, dt);
  const [gx, gy, gz] = kernel.gravity;
  const b = kernel.bounds;
  const custom = kernel.pairs.length + kernel.bonds.length + kernel.external.length + kernel.fields.length > 0;
  const staticTerms =
    kernel.pairs.length + kernel.bonds.length + kernel.external.length + kernel.fields.filter((f) => !f.usesVelocity).length;
  return {
    kernel,
    integrator: kernel.integrator,
    dt,
    local: { gx, gy, gz, k: kernel.drag },
    pairwise: kernel.pairwise,
    collisions: kernel.collisions,
    contacts: kernel.contacts,
    bounds: b && {
      min: [Math.fround(b.min[0]), Math.fround(b.min[1]), Math.fround(b.min[2])],
      max: [Math.fround(b.max[0]), Math.fround(b.max[1]), Math.fround(b.max[2])],
      restitution: b.restitution,
    },
    periodic: kernel.periodic,
    custom,
    positionForces: kernel.pairwise.length > 0 || staticTerms > 0,
    velocityFields: kernel.fields.some((f) => f.usesVelocity),
    usesTime: kernel.external.some((e) => e.usesTime) || kernel.fields.some((f) => f.usesTime),
    perParticle:
      kernel.pairwise.length === 0 && kernel.collisions === null && kernel.contacts === null && !custom && kernel.periodic === null,
  };
}
