import { describe, expect, it } from 'vitest';
import { defineSystem, pairForce, periodic, type Integrator } from '@brokenrecord/core';
import { stateDifference } from './expression-helpers.js';
import { firstBitDifference } from './helpers.js';
import { cloud, everything, everythingState, stepped } from './scenes.js';

describe('expression rules with worker threads', () => {
  for (const integrator of ['euler', 'verlet'] as Integrator[]) {
    for (const withBox of [false, true]) {
      for (const codegen of ['js', 'interpreter'] as const) {
        it(`${integrator}${withBox ? ', periodic' : ''}, ${codegen}: every kind at once, 2 and 3 threads agree with 1 to 1e-6`, async () => {
          const system = defineSystem({ integrator, rules: everything(integrator, withBox) });
          const start = everythingState();
          const single = await stepped(system, start, 25, { dt: 0.002, codegen });
          expect(firstBitDifference(single, start)).not.toBeNull();
          for (const threads of [2, 3]) {
            const threaded = await stepped(system, start, 25, { dt: 0.002, codegen, threads }, [10, 15]);
            expect(stateDifference(threaded, single)).toBeLessThan(1e-6);
          }
        });
      }
    }
  }

  it('a periodic Lennard-Jones fluid through the cell grid: 2 threads agree with 1', async () => {
    const system = defineSystem({
      integrator: 'verlet',
      rules: [pairForce({ energy: '4*((1/r)^12 - (1/r)^6)', cutoff: 2.5, shift: true }), periodic({ min: [0, 0, 0], max: [11, 11, 11] })],
    });
    const start = cloud(900, 11, 21, 0.9, 1);
    const single = await stepped(system, start, 30, { dt: 0.002 });
    const threaded = await stepped(system, start, 30, { dt: 0.002, threads: 2 });
    expect(stateDifference(threaded, single)).toBeLessThan(1e-6);
  });

  it('follows particles removed between calls (bonds renumbered, attributes moved) in the workers', async () => {
    const system = defineSystem({ integrator: 'verlet', rules: everything('verlet', true) });
    const script = async (threads: number) => {
      const state = everythingState();
      const { createContext } = await import('./helpers.js');
      const { checkState } = await import('@brokenrecord/core');
      checkState(state, system);
      const ctx = await createContext(system, state, { dt: 0.002, threads });
      ctx.step(5, 0);
      state.remove([2, 41, 100]);
      ctx.step(5, 5);
      await ctx.dispose();
      return state;
    };
    const single = await script(1);
    const threaded = await script(2);
    expect(single.count).toBe(213);
    expect(single.bonds('bonds')!.count).toBe(13);
    expect(stateDifference(threaded, single)).toBeLessThan(1e-6);
  });
});
