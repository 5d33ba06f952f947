import { driftScale, QUANTITIES, relativeDrift, type Diagnostics, type ParticleState, type Quantity } from '@brokenrecord/core';

/** The start of a run, against which every later drift is measured. */
export interface Baseline {
  diagnostics: Diagnostics;
  scales: Record<Quantity, number>;
}

export function takeBaseline(state: ParticleState, diagnostics: Diagnostics): Baseline {
  const scales = {} as Record<Quantity, number>;
  for (const q of QUANTITIES) scales[q] = driftScale(state, diagnostics, q);
  return { diagnostics, scales };
}

export function drifts(baseline: Baseline, now: Diagnostics): Record<Quantity, number> {
  const out = {} as Record<Quantity, number>;
  for (const q of QUANTITIES) out[q] = relativeDrift(baseline.diagnostics, now, q, baseline.scales[q]);
  return out;
}

export type Verdict = 'PASS' | 'FAIL' | 'not declared';

export interface QuantityCheck {
  quantity: Quantity;
  initial: number | readonly number[];
  final: number | readonly number[];
  drift: number;
  tolerance?: number;
  verdict: Verdict;
}

export function valueOf(d: Diagnostics, q: Quantity): number | readonly number[] {
  return q === 'energy' ? d.total : q === 'momentum' ? d.momentum : d.angularMomentum;
}

/**
 * Judges every quantity: declared ones against their tolerance (a drift of NaN or Infinity fails),
 * the others are reported but not judged.
 */
export function judge(
  baseline: Baseline,
  final: Diagnostics,
  declared: readonly Quantity[],
  tolerances: Readonly<Partial<Record<Quantity, number>>>,
): QuantityCheck[] {
  const drift = drifts(baseline, final);
  return QUANTITIES.map((quantity) => {
    const tolerance = declared.includes(quantity) ? toleranceFor(quantity, tolerances) : undefined;
    const verdict: Verdict = tolerance === undefined ? 'not declared' : drift[quantity] <= tolerance ? 'PASS' : 'FAIL';
    return {
      quantity,
      initial: valueOf(baseline.diagnostics, quantity),
      final: valueOf(final, quantity),
      drift: drift[quantity],
      ...(tolerance === undefined ? {} : { tolerance }),
      verdict,
    };
  });
}

/** For a declared quantity the scenario gives no tolerance for (a resumed system that declares more). */
export const DEFAULT_TOLERANCE = 1e-3;

export function toleranceFor(quantity: Quantity, tolerances: Readonly<Partial<Record<Quantity, number>>>): number {
  return tolerances[quantity] ?? DEFAULT_TOLERANCE;
}
