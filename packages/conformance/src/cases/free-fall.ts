import { defineSystem, ParticleState, uniformGravity } from '@brokenrecord/core';
import { describe, it } from 'vitest';
import { SLOW_CASE_TIMEOUT, type SuiteContext } from '../context.js';
import { expectConstantAccelerationPath } from '../helpers/constant-acceleration-check.js';

const SEED_G = [0, -9.81, 0] as const;

/** Free fall under uniform gravity with semi-implicit Euler, against the exact discrete formula. */
export function freeFallCases(ctx: SuiteContext): void {
  describe.skipIf(!ctx.supports('uniformGravity'))('free fall (semi-implicit Euler)', () => {
    it('follows x_n = x0 + n·v0·dt + g·dt²·n(n+1)/2 for several particles and step counts', async () => {
      const dt = 0.01;
      const initial = ParticleState.from({
        position: [
          [0, 0, 0],
          [1.5, 100, -2],
          [-3, -50, 7.25],
          [0.1, 0.2, 0.3],
        ],
        velocity: [
          [0, 0, 0],
          [0, 12, 0],
          [2, -3, 0.5],
          [-0.7, 30, 0],
        ],
        mass: [1, 2.5, 0.125, 1000],
      });
      const system = defineSystem({ integrator: 'euler', rules: [uniformGravity({ g: SEED_G })] });
      const sim = await ctx.create(system, initial.clone(), dt);
      let done = 0;
      // Checkpoints reached by step calls of different lengths, so batching cannot matter either.
      for (const n of [1, 2, 10, 100, 500]) {
        await sim.step(n - done);
        done = n;
        expectConstantAccelerationPath(await sim.read(), initial, SEED_G, dt, n, 'euler', 'free fall');
      }
    });

    it('runs the seed benchmark configuration (N = 10,000, 1000 steps) to the formula', { timeout: SLOW_CASE_TIMEOUT }, async () => {
      const n = 10_000;
      const dt = 0.01;
      const steps = 1000;
      const initial = ParticleState.from({
        position: Array.from({ length: n }, (_, i) => [0, 0, i]),
        velocity: Array.from({ length: n }, () => [1, 0, 0]),
        mass: 1,
      });
      const system = defineSystem({ integrator: 'euler', rules: [uniformGravity({ g: SEED_G })] });
      const sim = await ctx.create(system, initial.clone(), dt);
      await sim.step(steps);
      expectConstantAccelerationPath(await sim.read(), initial, SEED_G, dt, steps, 'euler', 'seed benchmark');
    });
  });
}
