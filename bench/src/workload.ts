import * as core from '@brokenrecord/core';
import { bounds, collisions, contacts, pairwiseGravity, uniformGravity, type ParticleState, type Rule } from '@brokenrecord/core';

export type Vec3 = [number, number, number];

/**
 * The physics of a workload, as data: the backends get it as core rules, the references
 * (naive JS, Float32Array loop, C) each implement the kernel it names.
 */
export type Physics =
  | { kernel: 'freeFall'; g: Vec3 }
  /** All pairs: the rule says method 'direct', so no backend swaps in the tree at large N. */
  | { kernel: 'pairGravity'; G: number; softening: number }
  | { kernel: 'contacts'; box: number; restitution: number }
  /** Soft spheres (contacts, model hooke, given restitution), uniform gravity and walls of the same restitution. */
  | { kernel: 'softSpheres'; box: Vec3; stiffness: number; restitution: number; g: Vec3 }
  /** Lennard-Jones truncated (not shifted) at `cutoff`, in the periodic cube [0, box)³. */
  | { kernel: 'lennardJones'; epsilon: number; sigma: number; cutoff: number; box: number };

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
  /** Default 'euler' (semi-implicit); 'verlet' is kick-drift-kick. */
  integrator?: 'euler' | 'verlet';
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
  /**
   * Periodic workloads: sampled positions are compared by minimum image in a cube of this side and
   * the checksum of wrapped coordinates is not compared (one particle wrapped on the other side
   * moves it by a whole box).
   */
  periodicBox?: number;
  /** Row every other row is checked against; default the ts backend, else the JS loop. */
  checkReference?: string;
  /**
   * Rows report energies (FinalState.energy) and are checked on them: their own drift
   * |E_end − E_0| / |E_0| within `drift`; against the check reference, the potential energy of the
   * initial state within `potential0` (reference rows) or `potential0Backends` (backends), and the
   * total energy at the end within `total1`.
   */
  energyCheck?: { drift: number; potential0: number; potential0Backends: number; total1: number };
  /** Backend rows also time createSimulation: the first for this system and a second, cached one. */
  timeCreate?: boolean;
}

/** A row that does not apply, or cannot yet: printed as "n/a: reason", never with figures. */
export class NotApplicable extends Error {}

/**
 * Core's expression rules (DESIGN.md, "Rules defined by expressions"), looked up at run time so
 * the bench builds and its reference rows run against a core without them.
 */
function expressionRules(): { pairForce: (options: object) => Rule; periodic: (options: object) => Rule } {
  const exports = core as unknown as Record<string, unknown>;
  const absent = ['pairForce', 'periodic'].filter((name) => typeof exports[name] !== 'function');
  if (absent.length) throw new NotApplicable(`@brokenrecord/core has no ${absent.join(' or ')} yet`);
  return exports as unknown as ReturnType<typeof expressionRules>;
}

/** The same physics as core rules, for `defineSystem`. */
export function rulesOf(physics: Physics): Rule[] {
  switch (physics.kernel) {
    case 'freeFall':
      return [uniformGravity({ g: physics.g })];
    case 'pairGravity':
      return [pairwiseGravity({ G: physics.G, softening: physics.softening, method: 'direct' })];
    case 'contacts':
      return [
        collisions({ restitution: physics.restitution }),
        bounds({ min: [0, 0, 0], max: [physics.box, physics.box, physics.box], restitution: physics.restitution }),
      ];
    case 'softSpheres':
      return [
        uniformGravity({ g: physics.g }),
        contacts({ model: 'hooke', stiffness: physics.stiffness, restitution: physics.restitution }),
        bounds({ min: [0, 0, 0], max: physics.box, restitution: physics.restitution }),
      ];
    case 'lennardJones': {
      const { pairForce, periodic } = expressionRules();
      return [
        pairForce({
          energy: '4*eps*((sig/r)^12 - (sig/r)^6)',
          parameters: { eps: physics.epsilon, sig: physics.sigma },
          cutoff: physics.cutoff,
        }),
        periodic({ min: [0, 0, 0], max: [physics.box, physics.box, physics.box] }),
      ];
    }
  }
}
