/**
 * B1, the seed's benchmark: 10,000 particles at (0, 0, i) moving at (1, 0, 0) with mass 1, uniform
 * gravity (0, −9.81, 0), semi-implicit Euler, dt = 0.01, 1000 steps. Everything fits in L2, so it
 * measures how fast a backend streams the kick-drift loop.
 */
import { ParticleState } from '@brokenrecord/core';
import type { Vec3, Workload } from '../workload.js';
import type { BenchCase, Size } from './case.js';

export const FREE_FALL_G: Vec3 = [0, -9.81, 0];

export function freeFallState(n: number): ParticleState {
  const state = ParticleState.create(n); // mass 1, radius 0, at rest at the origin
  for (let i = 0; i < n; i++) state.pz[i] = i;
  state.vx.fill(1);
  return state;
}

export function freeFallWorkload(id: string, title: string, n: number, steps: number): Workload {
  return {
    id,
    title,
    n,
    steps,
    dt: 0.01,
    physics: { kernel: 'freeFall', g: FREE_FALL_G },
    createState: () => freeFallState(n),
    work: { perRun: n * steps, unit: 'particle-steps/s', convention: 'particle-steps = N × steps' },
    c: { program: 'b1', args: [FREE_FALL_G[1]] },
    // y ends near −49 (B1) after 1000 float32 kicks; rows differ only in the rounding of g·dt.
    tolerance: 1e-4,
  };
}

export function b1(size: Size): BenchCase {
  const steps = size === 'quick' ? 100 : 1000;
  return {
    workload: freeFallWorkload('B1', 'free fall, uniform gravity (the seed benchmark)', 10_000, steps),
    targets: [
      { runner: 'ts', relativeTo: 'float32', atLeast: 1.0 },
      { runner: 'ts-2t', relativeTo: 'float32', atLeast: 1.7 },
      // The native backend against the seed-style per-step C loop, and in absolute terms.
      { runner: 'avx2', relativeTo: 'c', atLeast: 10 },
      { runner: 'avx2', throughputAtLeast: 50e9, unit: 'particle-steps/s' },
    ],
  };
}
