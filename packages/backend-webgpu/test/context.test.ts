import { collisions, computeDiagnostics, defineSystem, ParticleState, uniformGravity } from '@brokenrecord/core';
import { columnBits, expectBitwiseEqual } from '@brokenrecord/conformance';
import { describe, expect, it } from 'vitest';
import { webgpuBackend, type WebGpuContext } from '../dist/index.js';
import { scatteredSpheres } from './helpers.js';

const probe = await webgpuBackend.probe();

describe.skipIf(!probe.available)('WebGPU context', () => {
  const gravity = defineSystem({ rules: [uniformGravity({ g: [0, -2, 0] })] });

  it("read() updates and returns the caller's own ParticleState", async () => {
    const state = ParticleState.from({
      position: [
        [0, 0, 0],
        [1, 2, 3],
      ],
      velocity: [
        [1, 0, 0],
        [0, 0, 1],
      ],
      mass: 1,
    });
    const ctx = (await webgpuBackend.create(gravity, state, { dt: 0.1 })) as WebGpuContext;
    try {
      await ctx.step(3);
      expect(state.py[0], 'the GPU copy is not read back before read()').toBe(0);
      const read = await ctx.read();
      expect(read).toBe(state);
      expect(state.py[0]).toBeCloseTo(-2 * 0.01 * 6, 6); // Euler: Σ_{k=1..3} k·g·dt² = 6·g·dt²
    } finally {
      ctx.dispose();
    }
  });

  it('write() of a larger state grows the GPU storage, of an empty one leaves nothing to step', async () => {
    const system = defineSystem({ rules: [uniformGravity(), collisions()] });
    const ctx = (await webgpuBackend.create(system, scatteredSpheres(1, 10, 3, [0.2, 0.4]), { dt: 0.01 })) as WebGpuContext;
    try {
      const capacity = ctx.buffers.capacity;
      const bigger = scatteredSpheres(2, 500, 8, [0.2, 0.4]);
      await ctx.write(bigger);
      expect(ctx.buffers.capacity).toBeGreaterThanOrEqual(500);
      expect(ctx.buffers.capacity).toBeGreaterThan(capacity);
      expectBitwiseEqual(columnBits(await ctx.read()), columnBits(bigger), 'state just written');
      await ctx.step(5);
      expect((await ctx.read()).count).toBe(500);
      const empty = ParticleState.create(0);
      await ctx.write(empty);
      await ctx.step(5);
      expect((await ctx.read()).count).toBe(0);
      expect((await ctx.diagnostics()).mass).toBe(0);
    } finally {
      ctx.dispose();
    }
  });

  it('diagnostics of 100,000 particles: float32 rows finished in float64 stay within 1e-6 of float64', async () => {
    const state = scatteredSpheres(3, 100_000, 50, [0, 0]);
    const ctx = (await webgpuBackend.create(gravity, state.clone(), { dt: 0.01 })) as WebGpuContext;
    try {
      const gpu = await ctx.diagnostics();
      const exact = computeDiagnostics(state, gravity);
      expect(Math.abs(gpu.kinetic - exact.kinetic) / exact.kinetic).toBeLessThan(1e-6);
      expect(Math.abs(gpu.potential - exact.potential) / Math.abs(exact.potential)).toBeLessThan(1e-6);
      expect(Math.abs(gpu.mass - exact.mass) / exact.mass).toBeLessThan(1e-6);
      for (let k = 0; k < 3; k++) expect(Math.abs(gpu.centerOfMass[k] - exact.centerOfMass[k]) / 50).toBeLessThan(1e-6);
    } finally {
      ctx.dispose();
    }
  });

  it('a simulation created right after the last one was disposed gets a live device', async () => {
    const make = () =>
      webgpuBackend.create(gravity, ParticleState.from({ position: [[0, 0, 0]], mass: 1 }), { dt: 0.1 }) as Promise<WebGpuContext>;
    (await make()).dispose(); // the device is released and destroyed here...
    const next = await make(); // ...so this one must not be handed the destroyed device
    try {
      await next.step(1);
      expect((await next.read()).py[0]).toBeCloseTo(-2 * 0.01, 6);
    } finally {
      next.dispose();
    }
  });

  it('dispose() twice is harmless and later calls reject', async () => {
    const ctx = (await webgpuBackend.create(gravity, ParticleState.from({ position: [[0, 0, 0]], mass: 1 }), {
      dt: 0.01,
    })) as WebGpuContext;
    ctx.dispose();
    ctx.dispose();
    await expect(ctx.step(1)).rejects.toThrow(/disposed/);
  });
});
