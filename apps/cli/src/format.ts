/** Numbers as a physicist reads them in a report: exponent notation, exact zeros as `0`. */
export function formatNumber(value: number, digits = 6): string {
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return String(value);
  return value.toExponential(digits);
}

export function formatVector(values: readonly number[], digits = 4): string {
  return `(${values.map((v) => formatNumber(v, digits)).join(', ')})`;
}

export function formatValue(value: number | readonly number[]): string {
  return typeof value === 'number' ? formatNumber(value) : formatVector(value);
}

export function formatDrift(drift: number): string {
  return drift === 0 ? '0' : Number.isFinite(drift) ? drift.toExponential(2) : String(drift);
}

/** `1e-4`, not `0.0001`: tolerances are orders of magnitude. */
export function formatTolerance(tolerance: number): string {
  const [mantissa, exponent] = tolerance.toExponential().split('e');
  return `${mantissa}e${Number(exponent)}`;
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatSeconds(seconds: number): string {
  return seconds < 10 ? `${seconds.toFixed(3)} s` : `${seconds.toFixed(1)} s`;
}

/** Simulated time (steps × dt) without float noise: 3 steps of 0.1 are 0.3, not 0.30000000000000004. */
export function cleanTime(t: number): number {
  return Number(t.toPrecision(12));
}

export function formatTime(t: number): string {
  return String(cleanTime(t));
}
