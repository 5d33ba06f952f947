import { defineSystem, pairwiseGravity, ParticleState, type Backend, type SystemDefinition } from '@brokenrecord/core';
import { cudaHostBackend } from '@brokenrecord/backend-cuda';
import { Random } from '@brokenrecord/conformance';
import { describe, expect, it } from 'vitest';

// pairwiseGravity on the Barnes–Hut tree (docs/physics.md "Gravity by tree") against this backend's
// own all-pairs kernels, on the host executor (the device kernels' functions: the tree's per-cell
// steps and the one-particle walk).

function plummer(n: number, seed: number): ParticleState {
  const rng = new Random(seed);
  const s = ParticleState.create(n);
  const a = (3 * Math.PI) / 16;
  for (let i = 0; i < n; i++) {
    const r = a / Math.sqrt(Math.pow(rng.uniform(1e-9, 0.999), -2 / 3) - 1);
    const cosT = rng.uniform(-1, 1);
    const phi = rng.uniform(0, 2 * Math.PI);
    const sinT = Math.sqrt(1 - cosT * cosT);
    s.px[i] = r * sinT * Math.cos(phi);
    s.py[i] = r * sinT * Math.sin(phi);
    s.pz[i] = r * cosT;
    s.mass[i] = 1 / n;
  }
  return s;
}

const gravity = (method: 'direct' | 'tree', theta = 0.5): SystemDefinition =>
  defineSystem({ integrator: 'euler', rules: [pairwiseGravity({ G: 1, softening: 0.01, method, theta })] });

const DT = 1 / 1024;

async function run(backend: Backend, system: SystemDefinition, initial: ParticleState) {
  const ctx = await backend.create(system, initial.clone(), { dt: DT });
  const potential = (await ctx.diagnostics(0)).potential;
  await ctx.step(1, 0);
  const state = await ctx.read();
  const a = { ax: state.vx.map((v) => v / DT), ay: state.vy.map((v) => v / DT), az: state.vz.map((v) => v / DT), potential };
  await ctx.dispose();
  return a;
}

// The device executor's tree kernels have not run on a GPU: `cuda` does not declare 'gravity:tree'
// (its context runs every pairwise term as all pairs), so only the host executor is checked here.
for (const { backend, skip } of [{ backend: cudaHostBackend, skip: false }]) {
  describe.skipIf(skip)(`${backend.name}: pairwiseGravity on the tree`, () => {
    it('θ = 0.5 meets the accuracy bar against all pairs (median ≤ 1e-3, p99 ≤ 1e-2); the potential is the tree’s', async () => {
      const sphere = plummer(4096, 7);
      const direct = await run(backend, gravity('direct'), sphere);
      const tree = await run(backend, gravity('tree'), sphere);
      const errors = Array.from(tree.ax, (_, i) => {
        const d = Math.hypot(tree.ax[i] - direct.ax[i], tree.ay[i] - direct.ay[i], tree.az[i] - direct.az[i]);
        return d / Math.hypot(direct.ax[i], direct.ay[i], direct.az[i]);
      }).sort((x, y) => x - y);
      expect(errors[Math.floor(0.5 * errors.length)]).toBeLessThanOrEqual(1e-3);
      expect(errors[Math.floor(0.99 * errors.length)]).toBeLessThanOrEqual(1e-2);
      expect(errors[errors.length - 1]).toBeGreaterThan(1e-5); // the tree is not the direct sum
      expect(Math.abs(tree.potential - direct.potential) / Math.abs(direct.potential)).toBeLessThan(1e-4);
      expect(tree.potential).not.toBe(direct.potential);
    });
  });
}
