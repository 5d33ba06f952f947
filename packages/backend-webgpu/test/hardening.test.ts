import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bounds, defineSystem, ParticleState, registerBackend, uniformGravity } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import { webgpuBackend, type WebGpuContext } from '../dist/index.js';

const probe = await webgpuBackend.probe();
registerBackend(webgpuBackend);

describe.skipIf(!probe.available)('webgpu hardening', () => {
  it('50 create/dispose cycles (each the last simulation alive) keep the OS thread count and memory flat', { timeout: 120_000 }, () => {
    const script = fileURLToPath(new URL('./fixtures/dawn-cycles.mjs', import.meta.url));
    const run = spawnSync(process.execPath, [script, '50'], { env: process.env, encoding: 'utf8', timeout: 110_000 });
    expect(run.status, run.stderr.slice(-2000)).toBe(0);
    const { before, after } = JSON.parse(run.stdout.trim().split('\n').pop()!);
    // One Dawn instance and one device per process: a new one per cycle cost ~7 threads and ~4 MB.
    expect(after.threads - before.threads, `threads ${before.threads} → ${after.threads}`).toBeLessThanOrEqual(4);
    expect(after.rss - before.rss, `RSS ${before.rss} → ${after.rss}`).toBeLessThan(64 * 2 ** 20);
  });

  it('the bounds clamp keeps a NaN position NaN (the divergence scan must see it)', async () => {
    const boxed = defineSystem({ rules: [uniformGravity({ g: [0, -1, 0] }), bounds({ min: [0, 0, 0], max: [10, 10, 10] })] });
    const state = ParticleState.from({
      position: [
        [5, 5, 5],
        [2, 2, 2],
      ],
      mass: 1,
    });
    const ctx = (await webgpuBackend.create(boxed, state, { dt: 0.1 })) as WebGpuContext;
    try {
      const bad = state.clone();
      bad.px[0] = NaN; // straight into the context: core would have rejected it
      await ctx.write(bad);
      await ctx.step(1);
      const after = await ctx.read();
      expect(after.px[0]).toBeNaN();
      expect(after.px[1]).toBe(2);
      expect(await ctx.firstNonFinite()).toBe(0);
    } finally {
      ctx.dispose();
    }
  });
});
