import { bounds, collisions, pairwiseGravity, uniformGravity, type ParticleState, type Rule } from '@brokenrecord/core';

export type Vec3 = [number, number, number];

/**
 * The physics of a workload, as data: the backends get it as core rules, the references
 * (naive JS, Float32Array loop, C) each implement the kernel it names.
 */
export type Physics =
  | { kernel: 'freeFall'; g: Vec3 }
  | { kernel: 'pairGravity'; G: number; softening: number }
  | { kernel: 'contacts'; box: number; restitution: number };

/** What one run of a workload achieves, so every row's time converts to the same throughput. */
export interface WorkMeasure {
  /** Units of work in one run (e.g. N × steps particle-steps). */
  perRun: number;
  /** Unit of the throughput column, per second (e.g. 'particle-steps/s'). */
  unit: string;
  /** How `perRun` is counted, printed under the table. */
  convention: string;
  /** When set, a GFLOP/s column is shown at this many floating-point operations per unit. */
  flopPerUnit?: number;
}

export interface Workload {
  /** Row key for --only (B1, B1-large, B2, B2-4096, B3). */
  id: string;
  title: string;
  n: number;
  steps: number;
  dt: number;
  physics: Physics;
  /** A fresh copy of the initial state on every call. */
  createState(): ParticleState;
  work: WorkMeasure;
  /** Name of the C reference program (bench/c/<name>.c) and its arguments after <n> <steps> <dt>. */
  c: { program: string; args: (number | string)[] };
  /** Relative tolerance on sampled positions when checking rows against each other. */
  tolerance: number;
  /** Extra lines printed under the table (why the sizes are what they are). */
  notes?: string[];
}

/** The same physics as core rules, for `defineSystem`. */
export function rulesOf(physics: Physics): Rule[] {
  switch (physics.kernel) {
    case 'freeFall':
      return [uniformGravity({ g: physics.g })];
    case 'pairGravity':
      return [pairwiseGravity({ G: physics.G, softening: physics.softening })];
    case 'contacts':
      return [
        collisions({ restitution: physics.restitution }),
        bounds({ min: [0, 0, 0], max: [physics.box, physics.box, physics.box], restitution: physics.restitution }),
      ];
  }
}
