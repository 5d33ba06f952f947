import type { Diagnostics, Vector3 } from '@brokenrecord/core';
import { DIAGNOSTIC_TERMS } from './kernels/diagnostics.js';
import type { GpuPlan } from './gpu-plan.js';

const TERM = Object.fromEntries(DIAGNOSTIC_TERMS.map((name, k) => [name, k])) as Record<(typeof DIAGNOSTIC_TERMS)[number], number>;

/**
 * Finishes the GPU's per-workgroup partial sums (kernels/diagnostics.ts) in float64: adds the rows,
 * and forms the potential of uniform gravity as −g·(Σ m x), which equals the sum of the per-particle
 * terms −m g·x exactly in real arithmetic and reuses the centre-of-mass sums. Every other potential
 * (pairwise gravity, the expression rules') arrives as the per-particle shares' column.
 */
export function finishDiagnostics(partials: Float32Array, rows: number, plan: GpuPlan): Diagnostics {
  const sums = new Float64Array(DIAGNOSTIC_TERMS.length);
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < sums.length; q++) sums[q] += partials[r * sums.length + q];
  }
  const mass = sums[TERM.mass];
  const moment: Vector3 = [sums[TERM.massMomentX], sums[TERM.massMomentY], sums[TERM.massMomentZ]];
  const [gx, gy, gz] = plan.gravity;
  const potential = -(gx * moment[0] + gy * moment[1] + gz * moment[2]) + (plan.potentialShares ? sums[TERM.sharedPotential] : 0);
  const kinetic = sums[TERM.kinetic];
  return {
    kinetic,
    potential,
    total: kinetic + potential,
    momentum: [sums[TERM.momentumX], sums[TERM.momentumY], sums[TERM.momentumZ]],
    angularMomentum: [sums[TERM.angularX], sums[TERM.angularY], sums[TERM.angularZ]],
    centerOfMass: mass > 0 ? [moment[0] / mass, moment[1] / mass, moment[2] / mass] : [0, 0, 0],
    mass,
  };
}
