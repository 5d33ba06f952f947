import { describe, expect, it } from 'vitest';
import {
  COLLISION_SWEEP_LIMIT,
  bounds,
  canGenerateCode,
  collisions,
  createSimulation,
  defineSystem,
  getRegisteredBackends,
  listBackends,
  pairwiseGravity,
  ParticleState,
  uniformGravity,
} from '@brokenrecord/core';
import { KERNELS, tsBackend } from '../dist/index.js';
import { createContext, firstBitDifference, randomCloud, run } from './helpers.js';

const coupled = defineSystem({ integrator: 'verlet', rules: [pairwiseGravity({ softening: 0.1 }), collisions(), uniformGravity()] });

describe('ts backend context', () => {
  it('registers itself on import and is always available', async () => {
    expect(getRegisteredBackends()).toContain(tsBackend);
    expect([...tsBackend.rules].sort()).toEqual([
      'bondForce',
      'bounds',
      'collisions',
      'contacts',
      'drag',
      'externalForce',
      'field',
      'pairForce',
      'pairwiseGravity',
      'periodic',
      'uniformGravity',
    ]);
    expect(tsBackend.rules).toEqual(Object.keys(KERNELS));
    const probe = await tsBackend.probe();
    expect(probe.available).toBe(true);
    expect(probe.features).toContain('float32');
    expect(probe.features).toContain(canGenerateCode() ? 'codegen:js' : 'codegen:interpreter');
    expect((await listBackends()).find((b) => b.name === 'ts')?.available).toBe(true);
  });

  it("steps the caller's state in place and read() returns it", async () => {
    const state = ParticleState.from({ position: [[0, 10, 0]], mass: 1 });
    const sim = await createSimulation({ system: defineSystem({ rules: [uniformGravity()] }), state, dt: 0.1, backend: 'ts' });
    await sim.step(2);
    expect(await sim.read()).toBe(state);
    // Semi-implicit Euler: v1 = −0.981, v2 = −1.962; y = 10 − 0.0981 − 0.1962.
    expect(state.vy[0]).toBe(Math.fround(Math.fround(-9.81 * 0.1) + -9.81 * 0.1));
    expect(state.py[0]).toBeCloseTo(10 - 0.0981 - 0.1962, 5);
    sim.dispose();
  });

  it('takes particles added and removed between calls into account', async () => {
    const state = randomCloud(80, 4, { extent: 3, radius: [0.2, 0.5] });
    const ctx = await createContext(coupled, state, { dt: 0.01 });
    ctx.step(5);
    state.add({
      position: [
        [0, 0, 0],
        [0.3, 0, 0],
        [9, 9, 9],
      ],
      velocity: [
        [1, 0, 0],
        [-1, 0, 0],
        [0, 0, 0],
      ],
      mass: 2,
      radius: 0.25,
    });
    ctx.step(5);
    state.remove([1, 2, 3]);
    ctx.step(5);
    // The same story told to fresh contexts, which cannot hold anything stale.
    const expected = randomCloud(80, 4, { extent: 3, radius: [0.2, 0.5] });
    const fresh = async (steps: number) => (await createContext(coupled, expected, { dt: 0.01 })).step(steps);
    await fresh(5);
    expected.add({
      position: [
        [0, 0, 0],
        [0.3, 0, 0],
        [9, 9, 9],
      ],
      velocity: [
        [1, 0, 0],
        [-1, 0, 0],
        [0, 0, 0],
      ],
      mass: 2,
      radius: 0.25,
    });
    await fresh(5);
    expected.remove([1, 2, 3]);
    await fresh(5);
    expect(state.count).toBe(80);
    expect(firstBitDifference(state, expected)).toBeNull();
  });

  it('verlet with pairwise gravity: step(n) equals n calls of step(1) (the cached pairwise part is right)', async () => {
    const start = randomCloud(90, 13, { extent: 2, radius: [0.1, 0.3] });
    const once = await run(coupled, start, 12, { dt: 0.01 });
    const stepped = start.clone();
    const ctx = await createContext(coupled, stepped, { dt: 0.01 });
    for (let s = 0; s < 12; s++) ctx.step(1);
    expect(firstBitDifference(stepped, once)).toBeNull();
  });

  it('write() replaces the state and drops the cached accelerations', async () => {
    const start = randomCloud(60, 6, { extent: 2 });
    const first = await run(coupled, start, 7, { dt: 0.01 });
    const state = start.clone();
    const ctx = await createContext(coupled, state, { dt: 0.01 });
    ctx.step(3);
    ctx.write(start);
    expect(ctx.read()).toBe(state);
    ctx.step(7);
    expect(firstBitDifference(state, first)).toBeNull();
  });

  it('notices values edited in place through the live state (verlet cache)', async () => {
    const start = randomCloud(60, 7, { extent: 2 });
    const state = start.clone();
    const ctx = await createContext(coupled, state, { dt: 0.01 });
    ctx.step(3);
    state.px[10] += 0.5;
    state.mass[3] = 40;
    ctx.step(3);
    const expected = state.clone();
    // Rebuild the edited state in a fresh context and compare to the continuation.
    const replay = start.clone();
    const r = await createContext(coupled, replay, { dt: 0.01 });
    r.step(3);
    replay.px[10] += 0.5;
    replay.mass[3] = 40;
    const fresh = await createContext(coupled, replay, { dt: 0.01 });
    fresh.step(3);
    expect(firstBitDifference(replay, expected)).toBeNull();
  });

  it('head-on elastic collision of equal masses exchanges velocities', async () => {
    const state = ParticleState.from({
      position: [
        [-0.45, 0, 0],
        [0.45, 0, 0],
      ],
      velocity: [
        [1, 0, 0],
        [-1, 0, 0],
      ],
      mass: 1,
      radius: 0.5,
    });
    const ctx = await createContext(defineSystem({ rules: [collisions()] }), state, { dt: 0.01 });
    ctx.step(1);
    expect([state.vx[0], state.vx[1]]).toEqual([-1, 1]);
    ctx.step(1); // separating now: no second impulse
    expect([state.vx[0], state.vx[1]]).toEqual([-1, 1]);
  });

  it('conserves momentum in a closed system with gravity and inelastic collisions', async () => {
    const system = defineSystem({ rules: [pairwiseGravity({ softening: 0.2 }), collisions({ restitution: 0.5 })] });
    const state = randomCloud(400, 8, { extent: 3, speed: 2, radius: [0.1, 0.4], mass: [0.5, 3] });
    const ctx = await createContext(system, state, { dt: 0.005 });
    const before = ctx.diagnostics();
    ctx.step(40);
    const after = ctx.diagnostics();
    let scale = 0;
    for (let i = 0; i < state.count; i++) scale += state.mass[i] * Math.hypot(state.vx[i], state.vy[i], state.vz[i]);
    for (let k = 0; k < 3; k++) expect(Math.abs(after.momentum[k] - before.momentum[k]) / scale).toBeLessThan(1e-5);
    expect(after.kinetic).not.toBe(before.kinetic);
  });

  it('keeps particles inside bounds under collisions', async () => {
    const box = bounds({ min: [0, 0, 0], max: [4, 4, 4] });
    // Dilute on purpose: Jacobi impulses with e = 1 can pump energy into a dense, overlapping pile.
    const state = randomCloud(100, 9, { extent: 2, speed: 10, radius: [0.1, 0.2] });
    for (let i = 0; i < state.count; i++) {
      state.px[i] += 2;
      state.py[i] += 2;
      state.pz[i] += 2;
    }
    const ctx = await createContext(defineSystem({ rules: [collisions(), box, uniformGravity()] }), state, { dt: 0.01 });
    ctx.step(100);
    for (const col of [state.px, state.py, state.pz]) {
      for (let i = 0; i < state.count; i++) {
        expect(col[i]).toBeGreaterThanOrEqual(Math.fround(state.radius[i]));
        expect(col[i]).toBeLessThanOrEqual(Math.fround(4 - state.radius[i]));
      }
    }
  });

  it('matches a direct evaluation of the sequential collision sweeps over all pairs, bit for bit (one step)', async () => {
    const e = 0.8,
      dt = 1e-3;
    const start = randomCloud(500, 12, { extent: 3, speed: 2, radius: [0.05, 0.45], mass: [0.2, 5] });
    const end = await run(defineSystem({ rules: [collisions({ restitution: e })] }), start, 1, { dt });
    const { px, py, pz, mass, radius } = start;
    // docs/physics.md: touching pairs i < j in lexicographic order, swept until none approaches.
    const pairs: { i: number; j: number; n: number[] }[] = [];
    for (let i = 0; i < start.count; i++) {
      for (let j = i + 1; j < start.count; j++) {
        const d = [px[j] - px[i], py[j] - py[i], pz[j] - pz[i]];
        const d2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
        if (d2 === 0 || d2 >= (radius[i] + radius[j]) ** 2) continue;
        pairs.push({ i, j, n: d.map((c) => c / Math.sqrt(d2)) });
      }
    }
    const v = [Float32Array.from(start.vx), Float32Array.from(start.vy), Float32Array.from(start.vz)];
    let hits = 0;
    for (let sweep = 0, applied = 1; applied > 0 && sweep < COLLISION_SWEEP_LIMIT; sweep++) {
      applied = 0;
      for (const { i, j, n } of pairs) {
        const u = (v[0][j] - v[0][i]) * n[0] + (v[1][j] - v[1][i]) * n[1] + (v[2][j] - v[2][i]) * n[2];
        if (!(u < 0)) continue;
        const J = (-(1 + e) * u) / (1 / mass[i] + 1 / mass[j]);
        for (let k = 0; k < 3; k++) {
          v[k][i] = v[k][i] - (J * n[k]) / mass[i];
          v[k][j] = v[k][j] + (J * n[k]) / mass[j];
        }
        applied++;
      }
      hits += applied;
    }
    for (let i = 0; i < start.count; i++) {
      expect([end.vx[i], end.vy[i], end.vz[i]], `particle ${i}`).toEqual([v[0][i], v[1][i], v[2][i]]);
      expect(end.px[i]).toBe(Math.fround(px[i] + end.vx[i] * dt));
    }
    expect(hits).toBeGreaterThan(100);
  });

  it('is bitwise deterministic single-threaded', async () => {
    const system = defineSystem({ rules: [pairwiseGravity({ softening: 0.1 }), collisions(), uniformGravity()] });
    const start = randomCloud(200, 10, { extent: 3, radius: [0.1, 0.5] });
    const a = await run(system, start, 20, { dt: 0.01 });
    const b = await run(system, start, 20, { dt: 0.01 });
    expect(firstBitDifference(a, b)).toBeNull();
  });

  it('handles an empty state and zero steps', async () => {
    const state = ParticleState.create(0);
    const ctx = await createContext(coupled, state, { dt: 0.01 });
    ctx.step(0);
    ctx.step(10);
    expect(ctx.diagnostics().kinetic).toBe(0);
    await ctx.dispose();
    await ctx.dispose();
  });
});
