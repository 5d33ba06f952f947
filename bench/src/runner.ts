import type { FinalState } from './check.js';
import type { RepeatPlan, Stats } from './measure.js';
import type { Workload } from './workload.js';

/** What one row of the table measured, or why it has no figures. */
export type RowOutcome =
  { status: 'ok'; stats: Stats; final: FinalState; detail?: string } | { status: 'skipped' | 'failed' | 'n/a'; reason: string };

/**
 * One row of every table: something that runs a workload and reports its timings. References and
 * backends are all runners, so a new backend adds rows by registering one (or simply by being
 * available in `listBackends()`, see backends.ts).
 */
export interface Runner {
  /** Stable key used in the JSON output and by targets ('float32', 'c', 'ts', 'ts-2t', ...). */
  id: string;
  /** Row label in the table. */
  label: string;
  kind: 'reference' | 'backend';
  measure(workload: Workload, plan: RepeatPlan): Promise<RowOutcome>;
  /** Rows that exist for some workloads only (LAMMPS: B4); absent means every workload. */
  appliesTo?(workload: Workload): boolean;
}

const registered: Runner[] = [];

/** Adds rows to every workload; a runner with an id already registered replaces it. */
export function registerRunner(runner: Runner): void {
  const at = registered.findIndex((r) => r.id === runner.id);
  if (at >= 0) registered[at] = runner;
  else registered.push(runner);
}

export function registeredRunners(): readonly Runner[] {
  return registered;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
