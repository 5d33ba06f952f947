/**
 * Times at which a sampled signal changes sign, by linear interpolation between the two samples
 * around each change. Near a zero of a sinusoid the signal's curvature vanishes, so the
 * interpolation error is of third order: at most Δ·(ωΔ)²/6 for samples Δ apart.
 */
export function zeroCrossings(times: readonly number[], values: readonly number[]): number[] {
  const out: number[] = [];
  for (let k = 1; k < values.length; k++) {
    const a = values[k - 1];
    const b = values[k];
    if (a === 0 || !(a * b <= 0)) continue;
    out.push(times[k - 1] + ((times[k] - times[k - 1]) * a) / (a - b));
  }
  return out;
}

/**
 * The period of an oscillation whose signal crosses zero twice a period (a displacement from its
 * centre, or a velocity at the turning points): from the first to the last crossing.
 */
export function periodFromCrossings(crossings: readonly number[]): number {
  if (crossings.length < 3) throw new Error(`periodFromCrossings: ${crossings.length} crossings, need at least 3`);
  return (2 * (crossings[crossings.length - 1] - crossings[0])) / (crossings.length - 1);
}
