import { tsBackend } from '@brokenrecord/backend-ts';
import { collisions, createSimulation, defineSystem, registerBackend, type ParticleState } from '@brokenrecord/core';
import { columnBits, columnRelativeDifference, expectBitwiseEqual } from '@brokenrecord/conformance';
import { describe, expect, it } from 'vitest';
import { webgpuBackend } from '../dist/index.js';
import { randomColumns, scatteredSpheres } from './helpers.js';

registerBackend(tsBackend);
const probe = await webgpuBackend.probe();

async function oneContactStep(backend: string, state: ParticleState, restitution: number): Promise<ParticleState> {
  const sim = await createSimulation({
    system: defineSystem({ rules: [collisions({ restitution })] }),
    state: state.clone(),
    dt: 0.01,
    backend,
    threads: 1,
  });
  try {
    await sim.step(1);
    return (await sim.read()).clone();
  } finally {
    sim.dispose();
  }
}

/**
 * The GPU grid at sizes the conformance configurations do not reach: 40,000 particles give
 * 80,009 cell entries, a two-level prefix sum with a partial last block (80,009 → 79 → 1). The
 * reference's grid equals brute force (its own tests), so equal touched sets and velocities within
 * float32 rounding mean the GPU grid found the same pairs.
 */
describe.skipIf(!probe.available)('GPU uniform grid', () => {
  it('40,000 spheres: same contacts and velocities as the reference', { timeout: 60_000 }, async () => {
    const start = scatteredSpheres(7, 40_000, 60, [0.2, 0.6]);
    const [gpu, reference] = [await oneContactStep('webgpu', start, 0.9), await oneContactStep('ts', start, 0.9)];
    let touched = 0;
    for (let i = 0; i < start.count; i++) {
      const byReference = reference.vx[i] !== start.vx[i] || reference.vy[i] !== start.vy[i] || reference.vz[i] !== start.vz[i];
      const byGpu = gpu.vx[i] !== start.vx[i] || gpu.vy[i] !== start.vy[i] || gpu.vz[i] !== start.vz[i];
      expect(byGpu, `particle ${i} ${byReference ? 'has a contact the GPU missed' : 'changed without a contact'}`).toBe(byReference);
      if (byReference) touched++;
    }
    expect(touched, 'test setup: many particles in contact').toBeGreaterThan(5_000);
    for (const c of ['vx', 'vy', 'vz'] as const) {
      expect(columnRelativeDifference(gpu.column(c), reference.column(c)).relative, c).toBeLessThanOrEqual(1e-6);
    }
  });

  it(
    '600,000 spheres (a three-level prefix sum: 1,200,009 → 1172 → 2 → 1): same contacts as the reference',
    { timeout: 120_000 },
    async () => {
      // A sparse box: the prefix sum's depth depends on the count alone, and the contacts are
      // resolved in one workgroup (kernels/collisions.ts), which a software GPU runs on one core.
      const start = randomColumns(11, 600_000, 200, [0.3, 0.6]);
      const [gpu, reference] = [await oneContactStep('webgpu', start, 1), await oneContactStep('ts', start, 1)];
      let touched = 0;
      let mismatched = 0;
      for (let i = 0; i < start.count; i++) {
        const byReference = reference.vx[i] !== start.vx[i] || reference.vy[i] !== start.vy[i] || reference.vz[i] !== start.vz[i];
        const byGpu = gpu.vx[i] !== start.vx[i] || gpu.vy[i] !== start.vy[i] || gpu.vz[i] !== start.vz[i];
        if (byGpu !== byReference) mismatched++;
        if (byReference) touched++;
      }
      expect(mismatched, 'particles whose contacts differ').toBe(0);
      expect(touched, 'test setup: many particles in contact').toBeGreaterThan(50_000);
      for (const c of ['vx', 'vy', 'vz'] as const) {
        expect(columnRelativeDifference(gpu.column(c), reference.column(c)).relative, c).toBeLessThanOrEqual(1e-6);
      }
    },
  );

  it(
    'is deterministic: the same run twice gives the same bits (cells are sorted after the atomic scatter)',
    { timeout: 60_000 },
    async () => {
      const start = scatteredSpheres(8, 5_000, 14, [0.2, 0.5]);
      const system = defineSystem({ rules: [collisions({ restitution: 1 })] });
      const runs = [];
      for (let k = 0; k < 2; k++) {
        const sim = await createSimulation({ system, state: start.clone(), dt: 0.02, backend: 'webgpu' });
        await sim.step(20);
        runs.push(columnBits(await sim.read()));
        sim.dispose();
      }
      expectBitwiseEqual(runs[1], runs[0], 'second run');
    },
  );

  it('everything in one cell and no radius at all are handled (single cell, no contacts)', { timeout: 60_000 }, async () => {
    const clump = scatteredSpheres(9, 300, 0.5, [0.4, 0.5]);
    const [gpu, reference] = [await oneContactStep('webgpu', clump, 1), await oneContactStep('ts', clump, 1)];
    for (const c of ['vx', 'vy', 'vz'] as const) {
      expect(columnRelativeDifference(gpu.column(c), reference.column(c)).relative, c).toBeLessThanOrEqual(1e-5);
    }
    const points = scatteredSpheres(10, 300, 0.5, [0, 0]);
    const after = await oneContactStep('webgpu', points, 1);
    for (const c of ['vx', 'vy', 'vz'] as const) {
      expect(Array.from(after.column(c)), `${c}: point particles never collide`).toEqual(Array.from(points.column(c)));
    }
  });
});
