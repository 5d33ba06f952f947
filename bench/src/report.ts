import { compareFinalStates, energyDrift, type FinalState } from './check.js';
import type { BenchCase } from './cases/case.js';
import type { RowOutcome, Runner } from './runner.js';
import { describeTarget, judgeTarget, type TargetVerdict } from './target.js';

/** Ratios are taken against these rows: the JS Float32Array loop and the single-threaded C. */
export const BASELINE_JS = 'float32';
export const BASELINE_C = 'c';
/** Rows are checked against the TypeScript backend (the reference of the design), else the JS loop. */
const CHECK_REFERENCES = ['ts', BASELINE_JS];

export interface RowResult {
  id: string;
  label: string;
  kind: 'reference' | 'backend';
  status: 'ok' | 'skipped' | 'failed' | 'n/a';
  reason?: string;
  /** A line printed under the table (e.g. B4's createSimulation times). */
  detail?: string;
  seconds?: { median: number; min: number; max: number; runs: number[] };
  /** Work units per second at the median time. */
  throughput?: number;
  gflops?: number;
  vsFloat32?: number;
  vsC?: number;
  check?: { against: string; ok: boolean; worstRelative: number } | 'reference';
  /**
   * Workloads with an energy check (B4): this row's own energy drift over a run and its initial
   * potential energy against the check reference's (null on the reference itself).
   */
  energy?: { drift: number; potential0Relative: number | null; total1Relative: number | null; ok: boolean };
  /** Cores kept busy by other processes while this row ran (null where unknown). */
  otherLoad?: number | null;
  target?: { text: string; verdict: TargetVerdict; achieved: number | null };
}

export interface CaseResult {
  id: string;
  title: string;
  n: number;
  steps: number;
  dt: number;
  unit: string;
  convention: string;
  workPerRun: number;
  notes: string[];
  rows: RowResult[];
}

export interface MeasuredRow {
  runner: Runner;
  outcome: RowOutcome;
  otherLoad: number | null;
}

/** B4's energy check of one row: its own drift over the run, its U₀ against the reference row's. */
function checkEnergy(w: BenchCase['workload'], kind: Runner['kind'], final: FinalState, reference: FinalState | null) {
  const spec = w.energyCheck;
  if (!spec) return undefined;
  if (!final.energy) return { drift: NaN, potential0Relative: null, total1Relative: null, ok: false };
  const mine = final.energy;
  const drift = energyDrift(mine);
  const against = reference?.energy;
  const potential0Relative = against ? Math.abs(mine.potential0 - against.potential0) / Math.abs(against.potential0) : null;
  const total1Relative = against ? Math.abs(mine.total1 - against.total1) / Math.abs(against.total1) : null;
  const potentialTolerance = kind === 'backend' ? spec.potential0Backends : spec.potential0;
  // NaN figures fail every comparison below, so a row with broken energies never passes.
  const ok =
    drift <= spec.drift &&
    (potential0Relative === null || potential0Relative <= potentialTolerance) &&
    (total1Relative === null || total1Relative <= spec.total1);
  return { drift, potential0Relative, total1Relative, ok };
}

export function buildCaseResult(bench: BenchCase, measured: MeasuredRow[]): CaseResult {
  const w = bench.workload;
  const byId = new Map(measured.map((m) => [m.runner.id, m]));
  const throughputOf = (id: string): number | null => {
    const o = byId.get(id)?.outcome;
    return o?.status === 'ok' ? w.work.perRun / o.stats.median : null;
  };
  const labelOf = (id: string) => (id === BASELINE_JS ? 'JS f32' : (byId.get(id)?.runner.label ?? id));
  const checkRef = (w.checkReference ? [w.checkReference] : CHECK_REFERENCES).find((id) => byId.get(id)?.outcome.status === 'ok');
  const refFinal = checkRef ? (byId.get(checkRef)!.outcome as Extract<RowOutcome, { status: 'ok' }>).final : null;
  const jsBase = throughputOf(BASELINE_JS);
  const cBase = throughputOf(BASELINE_C);

  const rows = measured.map(({ runner, outcome, otherLoad }): RowResult => {
    const row: RowResult = { id: runner.id, label: runner.label, kind: runner.kind, status: outcome.status, otherLoad };
    if (outcome.status !== 'ok') {
      row.reason = outcome.reason;
    } else {
      const { median, min, max, seconds } = outcome.stats;
      const throughput = w.work.perRun / median;
      row.seconds = { median, min, max, runs: seconds };
      row.throughput = throughput;
      if (w.work.flopPerUnit) row.gflops = (throughput * w.work.flopPerUnit) / 1e9;
      if (jsBase) row.vsFloat32 = throughput / jsBase;
      if (cBase) row.vsC = throughput / cBase;
      if (outcome.detail) row.detail = outcome.detail;
      if (runner.id === checkRef) row.check = 'reference';
      else if (refFinal) {
        const agreement = compareFinalStates(outcome.final, refFinal, w.tolerance, 1, w.periodicBox);
        row.check = { against: checkRef!, ok: agreement.ok, worstRelative: agreement.worst };
      }
      const energy = checkEnergy(w, runner.kind, outcome.final, runner.id === checkRef ? null : refFinal);
      if (energy) row.energy = energy;
    }
    const target = bench.targets.find((t) => t.runner === runner.id);
    if (target) {
      row.target = { text: describeTarget(target, labelOf), ...judgeTarget(target, throughputOf) };
      // Speed of a row that computed the wrong physics is no achievement.
      const failedCheck = (typeof row.check === 'object' && !row.check.ok) || (row.energy && !row.energy.ok);
      if (failedCheck) row.target = { ...row.target, text: `${row.target.text} (physics check failed)`, verdict: 'n/a' };
    }
    return row;
  });

  return {
    id: w.id,
    title: w.title,
    n: w.n,
    steps: w.steps,
    dt: w.dt,
    unit: w.work.unit,
    convention: w.work.convention,
    workPerRun: w.work.perRun,
    notes: w.notes ?? [],
    rows,
  };
}
