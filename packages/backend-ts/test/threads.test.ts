import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  bounds,
  collisions,
  defineSystem,
  drag,
  pairwiseGravity,
  uniformGravity,
  ParticleState,
  type Integrator,
  type Rule,
} from '@brokenrecord/core';
import { createContext, firstBitDifference, randomCloud, run } from './helpers.js';

const box = bounds({ min: [-6, -6, -6], max: [6, 6, 6], restitution: 0.9 });
const ruleSets: Array<[string, Rule[], { fuse?: boolean }]> = [
  ['uniform gravity (fused)', [uniformGravity()], {}],
  ['drag and bounds (fused)', [drag({ k: 0.3 }), box], {}],
  ['gravity, drag and bounds phase by phase', [uniformGravity(), drag({ k: 0.3 }), box], { fuse: false }],
  ['pairwise gravity', [pairwiseGravity({ G: 0.5, softening: 0.05 })], {}],
  ['collisions', [collisions({ restitution: 0.95 }), box, uniformGravity()], {}],
  ['all five rules', [uniformGravity(), pairwiseGravity({ softening: 0.1 }), collisions(), drag({ k: 0.1 }), box], {}],
];

/** A dense cloud, so that collisions really happen. */
function cloud(n: number, seed: number): ParticleState {
  return randomCloud(n, seed, { extent: 5, speed: 3, radius: [0.2, 0.6], mass: [0.5, 2] });
}

describe('threads', () => {
  for (const integrator of ['euler', 'verlet'] as Integrator[]) {
    for (const [name, rules, options] of ruleSets) {
      it(`${integrator}, ${name}: 2 and 3 threads equal 1 thread bitwise`, async () => {
        const system = defineSystem({ integrator, rules });
        const start = cloud(301, 41);
        const single = await run(system, start, 25, { dt: 0.01, ...options });
        for (const threads of [2, 3]) {
          const threaded = await run(system, start, 25, { dt: 0.01, threads, ...options });
          expect(firstBitDifference(threaded, single)).toBeNull();
        }
        expect(firstBitDifference(single, start)).not.toBeNull();
      });
    }
  }

  it('collisions change velocities in the threaded run (the case is not trivial)', async () => {
    const system = defineSystem({ rules: [collisions()] });
    const start = cloud(301, 41);
    const free = await run(defineSystem({ rules: [] }), start, 10, { dt: 0.01, threads: 2 });
    const hit = await run(system, start, 10, { dt: 0.01, threads: 2 });
    expect(firstBitDifference(free, hit)).not.toBeNull();
  });

  it('follows the state when particles are added (storage moves) and removed between calls', async () => {
    const system = defineSystem({ integrator: 'verlet', rules: [pairwiseGravity({ softening: 0.1 }), collisions(), uniformGravity()] });
    const script = async (threads: number) => {
      const state = cloud(120, 5);
      const ctx = await createContext(system, state, { dt: 0.01, threads });
      ctx.step(4);
      const before = state.px;
      state.add({ position: Array.from({ length: 300 }, (_, i) => [i % 7, (i * 0.37) % 5, (i * 0.11) % 3]), mass: 1, radius: 0.3 });
      if (threads > 1) expect(state.px.buffer).not.toBe(before.buffer); // grew beyond capacity
      ctx.step(4);
      state.remove([0, 5, 17, 200, 419]);
      ctx.step(4);
      await ctx.dispose();
      return state;
    };
    const single = await script(1);
    const threaded = await script(2);
    expect(single.count).toBe(415);
    expect(firstBitDifference(threaded, single)).toBeNull();
  });

  it("steps the caller's state in place, now in shared memory", async () => {
    const state = ParticleState.create(50); // at rest: gravity must pull every particle down
    const ctx = await createContext(defineSystem({ rules: [uniformGravity()] }), state, { dt: 0.01, threads: 2 });
    expect(ctx.threads).toBe(2);
    expect(state.shared).toBe(true);
    const y = state.py[0];
    ctx.step(3);
    expect(ctx.read()).toBe(state);
    expect(state.py[0]).toBeLessThan(y);
    await ctx.dispose();
  });

  it('dispose twice is safe, and a disposed context refuses to step', async () => {
    const state = cloud(20, 3);
    const ctx = await createContext(defineSystem({ rules: [pairwiseGravity({ softening: 0.1 })] }), state, { dt: 0.01, threads: 2 });
    ctx.step(2);
    await ctx.dispose();
    await ctx.dispose();
    expect(() => ctx.step(1)).toThrow(/disposed/);
  });

  it('an undisposed team does not keep the process alive', () => {
    const script = fileURLToPath(new URL('./fixtures/undisposed-team.mjs', import.meta.url));
    const child = spawnSync(process.execPath, [script], { timeout: 30_000, encoding: 'utf8' });
    expect(child.error).toBeUndefined(); // a timeout would show here
    expect(child.stderr).toBe('');
    expect(child.stdout).toMatch(/^stepped /);
    expect(child.status).toBe(0);
  });

  it('handles more threads than particles', async () => {
    const system = defineSystem({ rules: [pairwiseGravity({ softening: 0.1 }), collisions()] });
    const start = cloud(3, 8);
    const single = await run(system, start, 10, { dt: 0.01 });
    const threaded = await run(system, start, 10, { dt: 0.01, threads: 4 });
    expect(firstBitDifference(threaded, single)).toBeNull();
  });
});
