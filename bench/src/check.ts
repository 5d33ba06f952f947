import type { Vec3 } from './workload.js';

/** Number of particles whose final positions every row reports (same as SAMPLE_COUNT in c/common.h). */
export const SAMPLE_COUNT = 8;

/** What a row computed, reduced to something cheap to compare across rows and languages. */
export interface FinalState {
  /** Positions of the particles at `sampleIndices(n)`. */
  sample: Vec3[];
  /** Σ (x + y + z) over all particles, in float64. */
  checksum: number;
  /** Workloads with an energy check: the row's own energies at the start and the end of a run. */
  energy?: Energies;
}

export interface Energies {
  /** Potential energy of the initial state. */
  potential0: number;
  /** Total (kinetic + potential) energy of the initial state and after the run. */
  total0: number;
  total1: number;
}

/** Evenly spread indices, first and last included; c/common.h computes the same ones. */
export function sampleIndices(n: number): number[] {
  return Array.from({ length: SAMPLE_COUNT }, (_, k) => Math.floor((k * (n - 1)) / (SAMPLE_COUNT - 1)));
}

export function finalStateOf(n: number, position: (i: number) => Vec3): FinalState {
  let checksum = 0;
  for (let i = 0; i < n; i++) {
    const [x, y, z] = position(i);
    checksum += x + y + z;
  }
  return { sample: sampleIndices(n).map((i) => position(i)), checksum };
}

export interface Agreement {
  ok: boolean;
  /** Largest relative difference found (sampled coordinates and checksum). */
  worst: number;
}

function relative(a: number, b: number, scale: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), scale);
}

/**
 * Loose on purpose: rows differ in rounding (float32 C arithmetic and fused multiply-adds, float64
 * JS intermediates, summation order), never in physics. A wrong kernel misses by orders of magnitude.
 * `scale` keeps coordinates near zero from turning rounding noise into huge relative errors.
 */
export function compareFinalStates(a: FinalState, b: FinalState, tolerance: number, scale = 1, periodicBox?: number): Agreement {
  // In a periodic box the same particle may sit a whole box away after wrapping: compare by
  // minimum image, and leave out the checksum of wrapped coordinates.
  const difference = (x: number, y: number) =>
    periodicBox ? Math.abs(x - y - periodicBox * Math.round((x - y) / periodicBox)) : Math.abs(x - y);
  let worst = periodicBox ? 0 : relative(a.checksum, b.checksum, scale);
  if (a.sample.length !== b.sample.length) return { ok: false, worst: Infinity };
  a.sample.forEach((p, k) => {
    for (let axis = 0; axis < 3; axis++) {
      const x = p[axis],
        y = b.sample[k][axis];
      worst = Math.max(worst, difference(x, y) / Math.max(Math.abs(x), Math.abs(y), scale));
    }
  });
  return { ok: worst <= tolerance && Number.isFinite(worst), worst };
}

/** |E_end − E_0| / |E_0| of one row. */
export function energyDrift(e: Energies): number {
  return Math.abs(e.total1 - e.total0) / Math.abs(e.total0);
}
