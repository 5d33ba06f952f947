import { performance } from 'node:perf_hooks';

/** Seconds per run: the median is the figure reported, min and max show the spread. */
export interface Stats {
  median: number;
  min: number;
  max: number;
  /** Every timed run (warm-up excluded), in order. */
  seconds: number[];
}

export interface RepeatPlan {
  /** Timed runs wanted. */
  repeats: number;
  /** Untimed runs first, so the JIT has compiled the hot loop and caches are warm. */
  warmups: number;
  /**
   * Slow rows (naive JS at large N) would dominate the whole bench: once the warm-up shows that
   * `repeats` runs would exceed this many seconds, fewer are taken, never fewer than `minRepeats`.
   */
  budgetSeconds: number;
  minRepeats: number;
}

export function summarize(seconds: readonly number[]): Stats {
  if (seconds.length === 0) throw new Error('no timings to summarize');
  const sorted = [...seconds].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], seconds: [...seconds] };
}

/** How many timed runs fit the budget, judged from one run's duration. */
export function repeatsWithinBudget(plan: RepeatPlan, secondsPerRun: number): number {
  const affordable = Math.floor(plan.budgetSeconds / Math.max(secondsPerRun, 1e-9));
  return Math.max(Math.min(plan.minRepeats, plan.repeats), Math.min(plan.repeats, affordable));
}

export interface Repeatable {
  /** Puts the workload back at its initial state; not timed. */
  reset(): void | Promise<void>;
  /** The timed part. */
  run(): void | Promise<void>;
}

/**
 * Warm-up, then timed runs, each from the initial state. Only `run` is inside the clock, so
 * every timed run computes exactly the same thing and its final state can be checked.
 */
export async function measureRepeated(plan: RepeatPlan, work: Repeatable): Promise<Stats> {
  let lastRun = 0;
  for (let w = 0; w < plan.warmups; w++) {
    await work.reset();
    const start = performance.now();
    await work.run();
    lastRun = (performance.now() - start) / 1000;
  }
  const repeats = plan.warmups > 0 ? repeatsWithinBudget(plan, lastRun) : plan.repeats;
  const seconds: number[] = [];
  for (let r = 0; r < repeats; r++) {
    await work.reset();
    const start = performance.now();
    await work.run();
    seconds.push((performance.now() - start) / 1000);
  }
  return summarize(seconds);
}
