import {
  createSimulation,
  defineSystem,
  drag,
  firstNonFinite,
  pairwiseGravity,
  ParticleState,
  SimulationDivergedError,
  uniformGravity,
} from '@brokenrecord/core';
import { tsBackend } from '@brokenrecord/backend-ts';
import { columnBits, expectBitwiseEqual } from '@brokenrecord/conformance';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { webgpuBackend, WebGpuContext } from '../dist/index.js';
import { randomColumns } from './helpers.js';

const probe = await webgpuBackend.probe();

const verletPairwise = defineSystem({
  integrator: 'verlet',
  rules: [uniformGravity({ g: [0, -1, 0] }), pairwiseGravity({ G: 1, softening: 0.1 })],
});

describe.skipIf(!probe.available)('checkpoint, rollback and the non-finite scan on the GPU', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('rollback restores the checkpoint, and the steps after it match steps never rolled back (cached accelerations dropped)', async () => {
    const ctx = (await webgpuBackend.create(verletPairwise, randomColumns(7, 300, 5, [0, 0]), { dt: 0.001 })) as WebGpuContext;
    try {
      await ctx.step(3); // Verlet now caches the accelerations of the current positions
      await ctx.checkpoint();
      const saved = (await ctx.read()).clone();
      await ctx.step(5);
      const ahead = (await ctx.read()).clone();
      expect(columnBits(ahead)).not.toEqual(columnBits(saved));
      await ctx.rollback();
      expectBitwiseEqual(await ctx.read(), saved, 'state after rollback');
      await ctx.step(5);
      expectBitwiseEqual(await ctx.read(), ahead, 'the same five steps again');
      // A checkpoint serves any number of rollbacks.
      await ctx.rollback();
      await ctx.rollback();
      expectBitwiseEqual(await ctx.read(), saved, 'state after two more rollbacks');
    } finally {
      ctx.dispose();
    }
  });

  it("a checkpoint survives the state's buffers growing only until write(): rollback then throws", async () => {
    const ctx = (await webgpuBackend.create(verletPairwise, randomColumns(1, 10, 5, [0, 0]), { dt: 0.001 })) as WebGpuContext;
    try {
      await ctx.checkpoint();
      const bigger = randomColumns(2, 700, 5, [0, 0]);
      await ctx.write(bigger);
      await expect(ctx.rollback()).rejects.toThrow(/without a checkpoint/);
      await ctx.checkpoint(); // into a backup grown for the larger buffers
      await ctx.step(2);
      await ctx.rollback();
      expectBitwiseEqual(await ctx.read(), bigger, 'the 700 particles written');
    } finally {
      ctx.dispose();
    }
  });

  it('firstNonFinite finds the smallest index with NaN or ±Infinity in any of the six columns', async () => {
    const count = 1000; // sixteen workgroups
    const clean = randomColumns(3, count, 5, [0, 0]);
    // Finite extremes the bit test must not mistake for infinities.
    clean.px[1] = 3.4028234663852886e38;
    clean.vy[2] = -3.4028234663852886e38;
    clean.vz[3] = 1e-45; // the smallest subnormal
    const ctx = (await webgpuBackend.create(verletPairwise, clean.clone(), { dt: 0.001 })) as WebGpuContext;
    try {
      expect(await ctx.firstNonFinite()).toBe(-1);
      const columns = ['px', 'py', 'pz', 'vx', 'vy', 'vz'] as const;
      const values = [NaN, Infinity, -Infinity];
      for (const [k, column] of columns.entries()) {
        const bad = clean.clone();
        const at = [999, 640 - 100 * k, 64 + k];
        at.forEach((i, j) => (bad[column][i] = values[(j + k) % 3]));
        await ctx.write(bad);
        expect(await ctx.firstNonFinite(), `${column} at ${at}`).toBe(64 + k);
        expect(firstNonFinite(bad)).toBe(64 + k);
      }
      const atZero = clean.clone();
      atZero.vz[0] = NaN;
      await ctx.write(atZero);
      expect(await ctx.firstNonFinite()).toBe(0);
      await ctx.write(ParticleState.create(0));
      expect(await ctx.firstNonFinite()).toBe(-1);
    } finally {
      ctx.dispose();
    }
  });

  // Particle 2 runs away until its position overflows float32; with pairwise gravity everything
  // near it turns NaN the same step, so the first bad index is 0 there and 2 without it.
  const runaway = () =>
    ParticleState.from({
      position: [
        [0, 0, 0],
        [1, 0, 0],
        [0, 2, 0],
        [3, 3, 3],
      ],
      velocity: [
        [0, 0.5, 0],
        [0, -0.5, 0],
        [1e37, 0, 0],
        [0, 0, 1],
      ],
      mass: [1, 2, 0.5, 1],
    });
  const systems = {
    'verlet with pairwise gravity': verletPairwise,
    'euler with uniform gravity and drag': defineSystem({ rules: [uniformGravity({ g: [0, -1, 0] }), drag({ k: 0.01 })] }),
  };

  for (const [name, system] of Object.entries(systems)) {
    it(`divergence (${name}): the right step, particle and state, without reading the state back`, async () => {
      const reference = await createSimulation({ system, state: runaway(), dt: 1, backend: tsBackend.name });
      const expected = await reference.step(100).then(
        () => null,
        (e: unknown) => e,
      );
      reference.dispose();
      expect(expected).toBeInstanceOf(SimulationDivergedError);
      const { step, particle } = expected as SimulationDivergedError;

      const good = await createSimulation({ system, state: runaway(), dt: 1, backend: 'webgpu' });
      await good.step(step - 1);
      const goodState = (await good.read()).clone();
      good.dispose();

      const sim = await createSimulation({ system, state: runaway(), dt: 1, backend: 'webgpu' });
      try {
        const read = vi.spyOn(WebGpuContext.prototype, 'read');
        const write = vi.spyOn(WebGpuContext.prototype, 'write');
        const checkpoint = vi.spyOn(WebGpuContext.prototype, 'checkpoint');
        const rollback = vi.spyOn(WebGpuContext.prototype, 'rollback');
        const scan = vi.spyOn(WebGpuContext.prototype, 'firstNonFinite');
        const error = await sim.step(100).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(SimulationDivergedError);
        expect((error as SimulationDivergedError).step).toBe(step);
        expect((error as SimulationDivergedError).particle).toBe(particle);
        expect(read).not.toHaveBeenCalled();
        expect(write).not.toHaveBeenCalled();
        expect(checkpoint).toHaveBeenCalled();
        expect(rollback).toHaveBeenCalledTimes(2); // to the call's start, then before the bad step
        expect(scan).toHaveBeenCalledTimes(1 + step);
        expect(sim.steps).toBe(step - 1);
        expectBitwiseEqual(await sim.read(), goodState, `state left at step ${step - 1}`);
      } finally {
        sim.dispose();
      }
    });
  }
});
