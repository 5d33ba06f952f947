import {
  bounds,
  crc32,
  defineSystem,
  drag,
  pairwiseGravity,
  resumeSimulation,
  SnapshotError,
  uniformGravity,
  type Rule,
  type SystemDefinition,
} from '@brokenrecord/core';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { expectBitwiseEqual } from '../helpers/compare.js';
import { expectTypedError } from '../helpers/errors.js';
import { randomCluster } from '../scenes/cluster.js';

/**
 * Snapshots taken from the backend round-trip bit for bit and resume the run exactly; any damage
 * to the bytes is a SnapshotError. The system uses forces only: every backend computes each
 * particle's forces from the same inputs in a fixed order, so two runs continuing from one state
 * must stay bit-identical (contact impulses summed in a backend-chosen order need not).
 */
export function snapshotCases(ctx: SuiteContext): void {
  describe.skipIf(!ctx.supports('pairwiseGravity', 'uniformGravity', 'bounds'))('snapshots', () => {
    const dt = 0.002;
    const forces: Rule[] = [
      pairwiseGravity({ G: 1, softening: 0.05 }),
      uniformGravity({ g: [0, -0.5, 0] }),
      bounds({ min: [-3, -3, -3], max: [3, 3, 3], restitution: 0.8 }),
    ];
    const system = defineSystem({ integrator: 'verlet', rules: forces });
    // resumeSimulation creates the simulation itself: give it the same backend and options.
    const resumeOptions = () => ({
      backend: ctx.backend.name,
      ...(ctx.options.threads !== undefined ? { threads: ctx.options.threads } : {}),
      ...(ctx.options.monitor !== undefined ? { monitor: ctx.options.monitor } : {}),
    });

    async function runningSimulation(on = system) {
      const sim = await ctx.create(on, randomCluster(77, 40), dt);
      await sim.step(25);
      return sim;
    }

    /** Snapshot after 25 steps, restore and resume it, then step all three 30 more. */
    async function expectExactRoundTrip(on: SystemDefinition): Promise<void> {
      const original = await runningSimulation(on);
      const bytes = await original.snapshot();

      // restore into a simulation of the same system holding a different state (other count too)
      const restored = await ctx.create(on, randomCluster(78, 7), dt);
      await restored.restore(bytes);
      expect(restored.steps, 'restored step count').toBe(25);
      expectBitwiseEqual(await restored.read(), await original.read(), 'restored state');
      expect(await restored.snapshot(), 'a snapshot of the restored simulation is the same bytes').toEqual(bytes);

      const resumed = ctx.track(await resumeSimulation(bytes, resumeOptions()));
      expect(resumed.backend).toBe(ctx.backend.name);
      expect(resumed.steps, 'resumed step count').toBe(25);
      expectBitwiseEqual(await resumed.read(), await original.read(), 'resumed state');

      for (const sim of [original, restored, resumed]) await sim.step(30);
      const expected = await original.read();
      expectBitwiseEqual(await restored.read(), expected, 'restored run after 30 more steps');
      expectBitwiseEqual(await resumed.read(), expected, 'resumed run after 30 more steps');
      expect(resumed.steps).toBe(55);
    }

    it('restore() and resumeSimulation() reproduce the state bit for bit and continue identically', async () => {
      await expectExactRoundTrip(system);
    });

    // A velocity-dependent force: the state in the snapshot (x, v) must determine the continuation,
    // so a Verlet step may not depend on anything else (such as accelerations kept from the step
    // before, which drag evaluated with the half-step velocity).
    it.skipIf(!ctx.supports('drag'))('round trip is exact with a velocity-dependent force (drag) under Verlet too', async () => {
      await expectExactRoundTrip(defineSystem({ integrator: 'verlet', rules: [...forces, drag({ k: 0.2 })] }));
    });

    it('flipping any byte, truncating, or a wrong version gives SnapshotError', async () => {
      const sim = await ctx.create(system, randomCluster(79, 3), dt);
      await sim.step(2);
      const bytes = await sim.snapshot();
      const target = await ctx.create(system, randomCluster(80, 3), dt);
      const targetBefore = (await target.read()).clone();

      // CRC-32 detects every error confined to 32 consecutive bits, so every single-byte change,
      // wherever it is (header, system JSON, columns, checksum), must be caught.
      for (let i = 0; i < bytes.length; i++) {
        for (const mask of [0x01, 0x80]) {
          const damaged = bytes.slice();
          damaged[i] ^= mask;
          await expectTypedError(() => resumeSimulation(damaged, resumeOptions()), SnapshotError, 'SNAPSHOT', `byte ${i} ^ ${mask}`);
        }
      }
      // restore() validates the same way and leaves the target as it was.
      const flipped = bytes.slice();
      flipped[bytes.length >> 1] ^= 0x10;
      await expectTypedError(() => target.restore(flipped), SnapshotError, 'SNAPSHOT', 'restore of a flipped byte');
      expectBitwiseEqual(await target.read(), targetBefore, 'target after a rejected restore');

      for (const length of [0, 7, 43, 44, bytes.length >> 1, bytes.length - 4, bytes.length - 1]) {
        await expectTypedError(
          () => resumeSimulation(bytes.slice(0, length), resumeOptions()),
          SnapshotError,
          'SNAPSHOT',
          `truncated to ${length} bytes`,
        );
      }
      const extended = new Uint8Array(bytes.length + 4);
      extended.set(bytes);
      await expectTypedError(() => resumeSimulation(extended, resumeOptions()), SnapshotError, 'SNAPSHOT', 'trailing bytes');

      // A future version with a valid checksum: rejected for its version, not by accident.
      for (const version of [0, 3, 0xffffffff]) {
        const other = bytes.slice();
        const view = new DataView(other.buffer);
        view.setUint32(8, version, true);
        view.setUint32(other.length - 4, crc32(other.subarray(0, other.length - 4)), true);
        const error = await expectTypedError(
          () => resumeSimulation(other, resumeOptions()),
          SnapshotError,
          'SNAPSHOT',
          `version ${version}`,
        );
        expect(error.message).toMatch(/version/);
      }
      expectBitwiseEqual(await target.read(), targetBefore, 'target untouched by all of the above');
    });

    it('sim.save(path) writes a file that resumeSimulation(path) resumes', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'brokenrecord-conformance-'));
      try {
        const sim = await runningSimulation();
        const path = join(dir, 'run.brsnap');
        await sim.save(path);
        expect(await readdir(dir), 'only the snapshot is left (the temporary file was renamed)').toEqual(['run.brsnap']);
        const resumed = ctx.track(await resumeSimulation(path, resumeOptions()));
        expect(resumed.steps).toBe(25);
        expectBitwiseEqual(await resumed.read(), await sim.read(), 'state resumed from the file');
        // Saving again over the same path replaces it atomically.
        await sim.step(5);
        await sim.save(path);
        const again = ctx.track(await resumeSimulation(path, resumeOptions()));
        expect(again.steps).toBe(30);
        expectBitwiseEqual(await again.read(), await sim.read(), 'state resumed from the overwritten file');
        await expectTypedError(
          () => resumeSimulation(join(dir, 'missing.brsnap'), resumeOptions()),
          SnapshotError,
          'SNAPSHOT',
          'missing file',
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}
