import { createSimulation, defineSystem, firstNonFinite, ParticleState, SimulationDivergedError, uniformGravity } from '@brokenrecord/core';
import { Avx2Context } from '@brokenrecord/backend-avx2';
import '@brokenrecord/backend-ts';
import { Random } from '@brokenrecord/conformance';
import { expect, it, vi } from 'vitest';
import { avx2Context, describeNative, randomState } from './helpers.js';

const COLUMNS = ['px', 'py', 'pz', 'vx', 'vy', 'vz'] as const;
const BAD = [NaN, Infinity, -Infinity];

describeNative('firstNonFinite', () => {
  const system = defineSystem({ rules: [uniformGravity()] });

  // 1000 particles take the sequential scan; 200,000 the threaded one (contiguous ranges per thread).
  for (const [n, threads] of [
    [1000, 1],
    [1000, 3],
    [200_000, 1],
    [200_000, 3],
  ] as const) {
    it(`${n} particles, ${threads} thread(s): the smallest bad index in any column, -1 when all are finite`, () => {
      const state = randomState(new Random(n + threads), n);
      // Finite extremes that must not count: the largest float32, the smallest subnormal, -0.
      state.px[5] = 3.4028234663852886e38;
      state.vy[6] = -3.4028234663852886e38;
      state.vz[7] = 1e-45;
      state.pz[8] = -0;
      const ctx = avx2Context(system, state, { dt: 0.01, threads });
      try {
        expect(ctx.firstNonFinite()).toBe(-1);
        for (const [k, column] of COLUMNS.entries()) {
          // Spread over the thread ranges; the smallest sits in the middle one.
          const at = [n - 1, Math.floor(n / 2) - k, Math.floor(n * 0.9) - k];
          at.forEach((i, j) => (state[column][i] = BAD[(j + k) % 3]));
          expect(ctx.firstNonFinite(), `${column} at ${at}`).toBe(Math.floor(n / 2) - k);
          expect(firstNonFinite(state)).toBe(Math.floor(n / 2) - k);
          for (const i of at) state[column][i] = 1;
        }
        state.vx[n - 1] = NaN; // the very last particle alone
        expect(ctx.firstNonFinite()).toBe(n - 1);
        state.pz[0] = -Infinity; // and the first
        expect(ctx.firstNonFinite()).toBe(0);
      } finally {
        ctx.dispose();
      }
    });
  }

  it('an empty state, and a state emptied and regrown after creation (columns re-passed)', () => {
    const state = ParticleState.create(0);
    const ctx = avx2Context(system, state, { dt: 0.01 });
    try {
      expect(ctx.firstNonFinite()).toBe(-1);
      state.add({
        position: [
          [0, 0, 0],
          [1, 2, 0],
        ],
        mass: 1,
      });
      expect(ctx.firstNonFinite()).toBe(-1);
      state.py[1] = NaN; // add() validates, so the bad value comes after it
      expect(ctx.firstNonFinite()).toBe(1);
      state.remove([1]);
      expect(ctx.firstNonFinite()).toBe(-1);
    } finally {
      ctx.dispose();
    }
  });

  it('a divergence through the public API reports the same step and particle as the TypeScript backend, scanned natively', async () => {
    // Particle 2 runs away until its position overflows float32.
    const state = () =>
      ParticleState.from({
        position: [
          [0, 0, 0],
          [1, 0, 0],
          [0, 2, 0],
        ],
        velocity: [
          [0, 1, 0],
          [0, 0, 0],
          [1e37, 0, 0],
        ],
        mass: 1,
      });
    const results = [];
    for (const backend of ['ts', 'avx2']) {
      const sim = await createSimulation({ system, state: state(), dt: 1, backend });
      const scan = vi.spyOn(Avx2Context.prototype, 'firstNonFinite');
      const error = await sim.step(100).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SimulationDivergedError);
      if (backend === 'avx2') expect(scan).toHaveBeenCalled();
      scan.mockRestore();
      results.push({
        step: (error as SimulationDivergedError).step,
        particle: (error as SimulationDivergedError).particle,
        steps: sim.steps,
      });
      sim.dispose();
    }
    expect(results[0].particle).toBe(2);
    expect(results[1]).toEqual(results[0]);
  });
});
