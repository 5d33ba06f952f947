import type { Readout } from '../scenarios/index.js';
import { renderTable } from '../table.js';

/** Six significant digits, without trailing zeros: 1.44, -5.30012, 1.23457e-7. */
export function formatReadout(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(6))) : String(value);
}

/** The scenario's own observables at the start and the end of the run, side by side. */
export function renderReadouts(start: readonly Readout[], end: readonly Readout[]): string {
  const rows = start.map((r, k) => [r.name, formatReadout(r.value), end[k] === undefined ? '-' : formatReadout(end[k].value)]);
  return renderTable(['readout', 'start', 'end'], rows);
}
