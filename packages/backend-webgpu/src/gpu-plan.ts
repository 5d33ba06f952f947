import { compileKernelPlan, freeVariables, type KernelPlan, type SystemDefinition } from '@brokenrecord/core';

/**
 * Core's kernel plan (the one compiled form of a system every backend reads) plus what this
 * backend derives from it for the GPU: which kernels a step needs and how the scratch buffer is
 * laid out. Nothing here re-reads the rules: every field comes from `compileKernelPlan`.
 */
export interface GpuPlan extends KernelPlan {
  /** No rule couples particles: the steps of a call run in one fused per-particle kernel. */
  perParticle: boolean;
  /** Any expression rule: the system gets a generated WGSL module (codegen/custom-module.ts). */
  custom: boolean;
  /**
   * Terms that depend on positions and time only (pairwise gravity, external forces, fields that
   * read no velocity, pair and bond forces). Their sum lives in the cached-acceleration scratch
   * columns; verlet reuses the sum of a step's second evaluation as the next step's first.
   */
  cachedForces: boolean;
  /** Fields that read vx/vy/vz: evaluated again at every kick. */
  velocityFields: boolean;
  /** Some term reads `t`: the GPU keeps a step clock (kernels/custom-common.ts). */
  usesTime: boolean;
  /** Pair forces with a cutoff, found through the uniform grid. */
  gridPairs: boolean;
  /** Pair forces without a cutoff, all pairs through workgroup tiles. */
  allPairs: boolean;
  /** Collisions or cutoff pair forces: the uniform grid is built. */
  grid: boolean;
  /** Smallest grid cell the pair cutoffs allow (0 without cutoff pair forces): the largest cutoff / pairReach. */
  minCell: number;
  /**
   * Cells the cutoff pair loop scans on each side of a particle's own. Cells a fraction 1/reach
   * of the cutoff wide cover the cutoff sphere more tightly than cells as wide as the cutoff:
   * (2·reach + 1)³ cells of side rc/reach hold 27·(5/6)³ ≈ 15.6 rc³ of volume at reach 2,
   * against 27 rc³ at reach 1, so there are fewer candidates to test.
   */
  pairReach: number;
  /** Some rule has a potential energy whose per-particle shares diagnostics reduce. */
  potentialShares: boolean;
  /** The bond table groups the bondForce terms read, and whether pair exclusions need the bonded partners. */
  bondGroups: string[];
  excludeBonds: boolean;
  /** The cell-order records of the cutoff pair loop: floats per particle (0 without cutoff pairs). */
  pairRecordFloats: number;
  /** Where the pair records start in the scratch buffer, in units of capacity floats. */
  pairRecordColumn: number;
  /** Some pairwise gravity term may run on the Barnes–Hut tree ('tree', or 'auto' at a large enough count): its buffers are allocated. */
  gravityTree: boolean;
}

export function compileGpuPlan(system: SystemDefinition, dt: number): GpuPlan {
  const plan = compileKernelPlan(system, dt);
  const gridPairs = plan.pairs.some((p) => p.cutoff !== null);
  const allPairs = plan.pairs.some((p) => p.cutoff === null);
  const positionFields = plan.fields.some((f) => !f.usesVelocity);
  const custom = plan.pairs.length + plan.bonds.length + plan.external.length + plan.fields.length > 0;
  const cachedForces =
    plan.pairwise.length > 0 || plan.pairs.length > 0 || plan.bonds.length > 0 || plan.external.length > 0 || positionFields;
  const grid = plan.collisions !== null || plan.contacts !== null || gridPairs;
  if (plan.contacts && plan.fields.some((f) => f.usesVelocity)) {
    // Their generated kick (codegen/custom-module.ts) does not add the contact accelerations yet.
    throw new Error("webgpu: 'contacts' together with a field that reads velocities is not implemented");
  }
  return {
    ...plan,
    perParticle:
      plan.pairwise.length === 0 &&
      plan.collisions === null &&
      plan.contacts === null &&
      plan.pairs.length === 0 &&
      plan.bonds.length === 0,
    custom,
    cachedForces,
    velocityFields: plan.fields.some((f) => f.usesVelocity),
    usesTime: plan.external.some((e) => e.usesTime) || plan.fields.some((f) => f.usesTime),
    gridPairs,
    allPairs,
    grid,
    minCell: gridPairs ? plan.maxCutoff / PAIR_REACH : 0,
    pairReach: PAIR_REACH,
    potentialShares:
      plan.pairwise.length > 0 || plan.pairs.length > 0 || plan.bonds.length > 0 || plan.external.length > 0 || plan.contacts !== null,
    bondGroups: [...new Set(plan.bonds.map((b) => b.group))],
    excludeBonds: plan.pairs.some((p) => p.excludeBonds),
    pairRecordFloats: gridPairs ? PAIR_RECORD_HEAD + pairRecordExtras(plan).length : 0,
    pairRecordColumn: 6 + (plan.collisions !== null || plan.contacts !== null ? COLLISION_RECORD_FLOATS : 0),
    gravityTree: plan.pairwise.some((term) => term.method !== 'direct'),
  };
}

/** See GpuPlan.pairReach. */
export const PAIR_REACH = 2;

/** Floats of a collision cell-order record (kernels/collisions.ts). */
export const COLLISION_RECORD_FLOATS = 8;
/** x, y, z and the particle index (as f32 bits) start every pair record. */
export const PAIR_RECORD_HEAD = 4;

/**
 * The values of the partner `j` (names with suffix 2) that the cutoff pair terms read, in record
 * order after the head: `m`, `radius` and attribute columns, by base name.
 */
export function pairRecordExtras(plan: KernelPlan): string[] {
  const used = new Set<string>();
  for (const term of plan.pairs) {
    if (term.cutoff === null) continue;
    const free = new Set([...freeVariables(term.energy), ...freeVariables(term.fScale)]);
    for (const base of ['m', 'radius', ...term.columns]) if (free.has(`${base}2`)) used.add(base);
  }
  return [...used];
}

/** Floats of scratch per particle the plan needs (see buffers.ts for the layout). */
export function scratchFloats(plan: GpuPlan): number {
  const needsScratch = plan.pairwise.length > 0 || plan.collisions !== null || plan.contacts !== null || plan.custom;
  if (!needsScratch) return 0;
  return plan.pairRecordColumn + plan.pairRecordFloats;
}
