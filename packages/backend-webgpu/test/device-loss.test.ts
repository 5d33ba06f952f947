import {
  BackendUnavailableError,
  createSimulation,
  defineSystem,
  pairwiseGravity,
  ParticleState,
  uniformGravity,
} from '@brokenrecord/core';
import { expectBitwiseEqual } from '@brokenrecord/conformance';
import { describe, expect, it } from 'vitest';
import { webgpuBackend, type WebGpuContext } from '../dist/index.js';

const probe = await webgpuBackend.probe();

/**
 * A lost device (simulated with GPUDevice.destroy(), which loses the device for every user) makes
 * step() reject with a typed error and never costs the state last read back: core's rollback
 * (write of its backup) still lands in the host copy, and read()/diagnostics() answer from it.
 */
describe.skipIf(!probe.available)('device loss', () => {
  const system = defineSystem({
    integrator: 'verlet',
    rules: [uniformGravity({ g: [0, -1, 0] }), pairwiseGravity({ G: 1, softening: 0.1 })],
  });
  const state = () =>
    ParticleState.from({
      position: [
        [0, 0, 0],
        [1, 0, 0],
        [0, 2, 0],
      ],
      velocity: [
        [0, 0.5, 0],
        [0, -0.5, 0],
        [0.3, 0, 0],
      ],
      mass: [1, 2, 0.5],
    });

  it('context: step rejects with BackendUnavailableError, write/read/diagnostics keep working on the host copy', async () => {
    const ctx = (await webgpuBackend.create(system, state(), { dt: 0.01 })) as WebGpuContext;
    try {
      await ctx.step(5);
      const good = (await ctx.read()).clone();
      ctx.device.destroy();
      const error = await ctx.step(1).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect((error as BackendUnavailableError).code).toBe('BACKEND_UNAVAILABLE');
      expect((error as Error).message).toMatch(/lost/);
      await ctx.write(good); // what core does after a failed step: must not throw
      expectBitwiseEqual(await ctx.read(), good, 'state after the loss');
      const d = await ctx.diagnostics();
      expect(Number.isFinite(d.total)).toBe(true);
      await expect(ctx.step(1)).rejects.toBeInstanceOf(BackendUnavailableError);
    } finally {
      ctx.dispose();
    }
  });

  it('context: after a loss, rollback to a checkpoint taken while the host copy was current restores it there', async () => {
    const ctx = (await webgpuBackend.create(system, state(), { dt: 0.01 })) as WebGpuContext;
    try {
      await ctx.step(5);
      const good = (await ctx.read()).clone();
      await ctx.checkpoint();
      await ctx.step(3); // only on the device
      ctx.device.destroy();
      await expect(ctx.step(1)).rejects.toBeInstanceOf(BackendUnavailableError);
      await ctx.rollback(); // what core does after a failed step: must not throw
      expectBitwiseEqual(await ctx.read(), good, 'state after the rollback');
      expect(await ctx.firstNonFinite()).toBe(-1); // scanned on the host copy now
      await ctx.checkpoint(); // the host copy is current: a checkpoint is still possible
      await ctx.rollback();
      expectBitwiseEqual(await ctx.read(), good, 'state after a second rollback');
    } finally {
      ctx.dispose();
    }
  });

  it('context: after a loss, a checkpoint that only the device held is reported lost, not replaced by an older state', async () => {
    const ctx = (await webgpuBackend.create(system, state(), { dt: 0.01 })) as WebGpuContext;
    try {
      await ctx.step(5); // never read back
      await ctx.checkpoint();
      ctx.device.destroy();
      await expect(ctx.step(1)).rejects.toBeInstanceOf(BackendUnavailableError);
      await ctx.rollback();
      await expect(ctx.read()).rejects.toThrow(/state lost/);
      await expect(ctx.firstNonFinite()).rejects.toBeInstanceOf(BackendUnavailableError);
      await expect(ctx.checkpoint()).rejects.toBeInstanceOf(BackendUnavailableError);
      const fresh = state();
      await ctx.write(fresh); // a write still gives the host copy a state to answer from
      expectBitwiseEqual(await ctx.read(), fresh, 'state written after the loss');
    } finally {
      ctx.dispose();
    }
  });

  it('simulation: a loss between calls rejects the next step, keeps the step count and the last good state', async () => {
    const sim = await createSimulation({ system, state: state(), dt: 0.01, backend: 'webgpu' });
    const other = (await webgpuBackend.create(system, state(), { dt: 0.01 })) as WebGpuContext;
    try {
      await sim.step(10);
      const good = (await sim.read()).clone();
      other.device.destroy(); // the device is shared: the simulation loses it too
      await expect(sim.step(3)).rejects.toBeInstanceOf(BackendUnavailableError);
      expect(sim.steps).toBe(10);
      expectBitwiseEqual(await sim.read(), good, 'state after the failed step');
    } finally {
      sim.dispose();
      other.dispose();
    }
  });

  it('a simulation created after a loss gets a fresh device', async () => {
    const sim = await createSimulation({ system, state: state(), dt: 0.01, backend: 'webgpu' });
    try {
      await sim.step(2);
      const s = await sim.read();
      expect(s.py[0]).not.toBe(0);
    } finally {
      sim.dispose();
    }
  });
});
