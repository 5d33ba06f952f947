import { Random, expectBitwiseEqual } from '@brokenrecord/conformance';
import { expect, it } from 'vitest';
import { avx2Context, describeNative, coupledSystems, perParticleSystems, randomState } from './helpers.js';

// Every kernel writes only its own particles and sums in a fixed order (pairwise sources by index,
// contacts in grid order), so the thread count changes no bit.
describeNative('threads', () => {
  for (const { name, system } of [...perParticleSystems(), ...coupledSystems()]) {
    it(`1, 2 and 3 threads give the same bits: ${name}`, () => {
      const initial = randomState(new Random(5), 700, { half: 2.4, speed: 1, rMin: 0.02, rMax: 0.12 });
      const results = [1, 2, 3].map((threads) => {
        const state = initial.clone();
        const ctx = avx2Context(system, state, { dt: 0.004, threads });
        expect(ctx.threads).toBe(threads);
        ctx.step(12);
        ctx.step(3);
        ctx.dispose();
        return state;
      });
      expectBitwiseEqual(results[1], results[0], '2 threads vs 1');
      expectBitwiseEqual(results[2], results[0], '3 threads vs 1');
    });
  }
});
