import type { Workspace } from '../workspace.js';

/** Adds per-particle terms for particles lo..hi−1 at time t (into fx/fy/fz, or ax/ay/az for velocity fields). */
export type ParticleKernel = (ws: Workspace, lo: number, hi: number, t: number) => void;
/** Pair forces of grid cells cLo..cHi−1 (half shell) into `buf`, 3 per slot. */
export type GridKernel = (ws: Workspace, cLo: number, cHi: number, buf: Float64Array) => void;
/** Pair forces of rows lo..hi−1 (pairs i < j), or of bonds lo..hi−1, into `buf`, 3 per particle. */
export type RangeKernel = (ws: Workspace, lo: number, hi: number, buf: Float64Array) => void;

/**
 * The expression kernels of one system, generated as JavaScript or interpreted from the same
 * trees. Both implement exactly the loops described in spec.ts.
 */
export interface ForceKernels {
  mode: 'js' | 'interpreter';
  particle: ParticleKernel | null;
  velocity: ParticleKernel | null;
  pairGrid: GridKernel | null;
  pairRows: RangeKernel | null;
  pairRowsPeriodic: RangeKernel | null;
  /** One per bondForce term, in plan.bonds order. */
  bonds: RangeKernel[];
}
