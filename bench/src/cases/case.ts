import type { Target } from '../target.js';
import type { Workload } from '../workload.js';

/** A workload and the goals shown beside its rows; the rows themselves are the registered runners. */
export interface BenchCase {
  workload: Workload;
  targets: Target[];
}

/** `quick` shrinks steps (and B2's N) so the whole bench runs in well under a minute. */
export type Size = 'full' | 'quick';
