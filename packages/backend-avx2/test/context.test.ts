import { createSimulation, defineSystem, pairwiseGravity, ParticleState, uniformGravity } from '@brokenrecord/core';
import { avx2Backend } from '@brokenrecord/backend-avx2';
import '@brokenrecord/backend-ts';
import { Random, expectBitwiseEqual, expectColumnsClose } from '@brokenrecord/conformance';
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { avx2Context, coupledSystems, describeNative, randomState, usableIsas } from './helpers.js';

describeNative('context', () => {
  it('steps the caller’s columns in place (zero copy) and re-reads them after add and remove', async () => {
    for (const { name, system } of coupledSystems()) {
      const rng = new Random(3);
      const mine = randomState(rng, 40, { rMin: 0.05, rMax: 0.2 });
      const theirs = mine.clone();
      const a = await createSimulation({ system, state: mine, dt: 0.005, backend: 'avx2' });
      const b = await createSimulation({ system, state: theirs, dt: 0.005, backend: 'ts', threads: 1 });
      expect(await a.read()).toBe(mine);
      const before = mine.px;
      await a.step(5);
      await b.step(5);
      expect(mine.px).toBe(before); // same view, values changed in place
      // add moves the storage (capacity grows); remove shrinks the count in place.
      for (const s of [mine, theirs])
        s.add({
          position: [
            [0.1, 0.2, 0.3],
            [-1, 1, 0.5],
          ],
          velocity: [
            [1, 0, 0],
            [0, 0, -1],
          ],
          mass: [1, 2],
          radius: [0.1, 0.15],
        });
      await a.step(4);
      await b.step(4);
      for (const s of [mine, theirs]) s.remove([0, 7, 41]);
      await a.step(6);
      await b.step(6);
      expect(mine.count).toBe(39);
      expectColumnsClose(mine, theirs, 1e-5, `${name} after add/remove`);
      a.dispose();
      b.dispose();
    }
  });

  it('dispose is safe twice, and a disposed context refuses to step', () => {
    const state = randomState(new Random(1), 10);
    const ctx = avx2Context(defineSystem({ rules: [uniformGravity()] }), state, { dt: 0.01 });
    ctx.step(2);
    ctx.dispose();
    ctx.dispose();
    expect(() => ctx.step(1)).toThrow(/disposed/);
  });

  it('write() replaces the state and drops the cached pairwise forces (verlet)', async () => {
    const system = defineSystem({ integrator: 'verlet', rules: [pairwiseGravity({ softening: 0.1 })] });
    const start = randomState(new Random(9), 30);
    const other = randomState(new Random(10), 30);
    const live = start.clone();
    const ctx = avx2Context(system, live, { dt: 0.01 });
    ctx.step(3);
    ctx.write(other);
    ctx.step(3);
    // Fresh run from `other`: if stale forces from `start` had been used, this would differ.
    const fresh = other.clone();
    const ctx2 = avx2Context(system, fresh, { dt: 0.01 });
    ctx2.step(3);
    expectBitwiseEqual(live, fresh, 'after write');
    // Editing a position in place also invalidates them (the cache compares positions and masses).
    live.px[4] += 0.25;
    fresh.px[4] += 0.25;
    const ctx3 = avx2Context(system, fresh.clone(), { dt: 0.01 });
    ctx.step(2);
    ctx3.step(2);
    expectBitwiseEqual(live, await ctx3.read(), 'after an in-place edit');
    for (const c of [ctx, ctx2, ctx3]) c.dispose();
  });

  it('handles an empty state and zero steps', () => {
    const state = ParticleState.create(0);
    const ctx = avx2Context(defineSystem({ rules: [uniformGravity()] }), state, { dt: 0.01 });
    ctx.step(0);
    ctx.step(5);
    expect(ctx.diagnostics().mass).toBe(0);
    ctx.dispose();
  });

  it('BROKENRECORD_AVX2_ISA forces an instruction set, and a bad value is a probe reason, not a crash', () => {
    const script = `
      import('@brokenrecord/backend-avx2').then(async ({ avx2Backend }) => {
        const p = await avx2Backend.probe();
        console.log(JSON.stringify(p));
      });`;
    const run = (isa: string) => {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        cwd: new URL('..', import.meta.url),
        env: { ...process.env, BROKENRECORD_AVX2_ISA: isa },
      });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as { available: boolean; reason?: string; features?: string[] };
    };
    expect(run('scalar').features).toContain('isa:scalar');
    const bad = run('sse9');
    expect(bad.available).toBe(false);
    expect(bad.reason).toMatch(/sse9/);
    const widest = usableIsas().at(-1)!;
    expect(run(widest).features).toContain(`isa:${widest}`);
  });

  it('reports the chosen ISA and OpenMP in the probe features', async () => {
    const probe = await avx2Backend.probe();
    expect(probe.features).toContain(`isa:${usableIsas().at(-1)}`);
    expect(probe.features?.some((f) => f.startsWith('openmp:'))).toBe(true);
  });
});
