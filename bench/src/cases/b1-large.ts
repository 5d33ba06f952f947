/**
 * B1-large: the B1 free fall with 1,000,000 particles × 100 steps. 24 MB of position and velocity
 * columns no longer fit in L2 (and barely in L3), so this measures memory bandwidth, not arithmetic.
 */
import { freeFallWorkload } from './b1.js';
import type { BenchCase, Size } from './case.js';

export function b1Large(size: Size): BenchCase {
  const steps = size === 'quick' ? 10 : 100;
  return {
    workload: freeFallWorkload('B1-large', 'free fall, 1M particles (memory-bound)', 1_000_000, steps),
    targets: [{ runner: 'avx2', throughputAtLeast: 5e9, unit: 'particle-steps/s' }],
  };
}
