import type { Readout } from '../scenarios/index.js';
import { renderTable } from '../table.js';

/** Six significant digits, without trailing zeros: 1.44, -5.30012, 0.0229062, 1.00136e-6. */
export function formatReadout(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const v = Number(value.toPrecision(6));
  return v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential() : String(v);
}

/** The scenario's own observables at the start and the end of the run, side by side. */
export function renderReadouts(start: readonly Readout[], end: readonly Readout[]): string {
  const rows = start.map((r, k) => [r.name, formatReadout(r.value), end[k] === undefined ? '-' : formatReadout(end[k].value)]);
  return renderTable(['readout', 'start', 'end'], rows);
}
