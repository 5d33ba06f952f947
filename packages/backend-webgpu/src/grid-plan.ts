import { SCAN_BLOCK } from './kernels/scan.js';

/** One level of the multi-level prefix sum over the cell counts (kernels/scan.ts). */
export interface ScanLevel {
  /** u32 offsets inside the `cells` buffer. */
  input: number;
  output: number;
  sums: number;
  length: number;
}

export interface GridPlan {
  /** Most cells a grid may use: 2·capacity + 8, like the reference (coarser cells beyond). */
  cellCapacity: number;
  /** cellCapacity + 1: the start offsets include the end of the last cell. */
  cellEntries: number;
  /** Levels from the counts upwards; each level's block totals are the next level's input. */
  levels: ScanLevel[];
  /** u32 words of the `cells` buffer: counts, starts, then every level's block totals. */
  words: number;
}

/**
 * Lays out the `cells` buffer for `capacity` particles: counts at 0, start offsets at E, then the
 * block totals of each scan level. Level 0 scans counts into starts; higher levels scan in place.
 */
export function planGrid(capacity: number): GridPlan {
  const cellCapacity = 2 * capacity + 8;
  const cellEntries = cellCapacity + 1;
  const levels: ScanLevel[] = [];
  let input = 0;
  let output = cellEntries;
  let length = cellEntries;
  let free = 2 * cellEntries;
  for (;;) {
    const blocks = Math.ceil(length / SCAN_BLOCK);
    const sums = free;
    free += blocks;
    levels.push({ input, output, sums, length });
    if (blocks === 1) break;
    input = sums;
    output = sums;
    length = blocks;
  }
  return { cellCapacity, cellEntries, levels, words: free };
}
