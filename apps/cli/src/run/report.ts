import type { Quantity } from '@brokenrecord/core';
import { formatDrift, formatTolerance, formatValue } from '../format.js';
import { renderTable } from '../table.js';
import { toleranceFor, type QuantityCheck } from './conservation.js';

const NAMES: Record<Quantity, string> = { energy: 'energy', momentum: 'momentum', angularMomentum: 'angular momentum' };

/** The end-of-run conservation table and its one-line verdict. */
export function renderConservationReport(checks: readonly QuantityCheck[], declared: readonly Quantity[]): string {
  const contract = declared.length ? declared.map((q) => NAMES[q]).join(', ') : 'none declared';
  const rows = checks.map((c) => [
    NAMES[c.quantity],
    formatValue(c.initial),
    formatValue(c.final),
    formatDrift(c.drift),
    c.tolerance === undefined ? '-' : formatTolerance(c.tolerance),
    c.verdict,
  ]);
  const table = renderTable(['quantity', 'initial', 'final', 'relative drift', 'tolerance', 'result'], rows);
  return `conservation (contract: ${contract})\n${table}\n${verdictLine(checks, declared)}`;
}

export function verdictLine(checks: readonly QuantityCheck[], declared: readonly Quantity[]): string {
  if (declared.length === 0) return 'contract: nothing declared, nothing judged';
  const failed = checks.filter((c) => c.verdict === 'FAIL');
  if (failed.length === 0) return 'contract kept: every declared quantity within its tolerance';
  const detail = failed.map((c) => `${NAMES[c.quantity]} drifted ${formatDrift(c.drift)} > ${formatTolerance(c.tolerance!)}`);
  return `contract BROKEN: ${detail.join('; ')}`;
}

export function contractSubtitle(declared: readonly Quantity[], tolerances: Readonly<Partial<Record<Quantity, number>>>): string {
  if (declared.length === 0) return 'contract: none declared';
  return `contract: ${declared.map((q) => `${NAMES[q]} ≤ ${formatTolerance(toleranceFor(q, tolerances))}`).join(', ')}`;
}
