import {
  createSimulation,
  defineSystem,
  drag,
  firstNonFinite,
  pairwiseGravity,
  ParticleState,
  registerBackend,
  SimulationDivergedError,
  uniformGravity,
  unregisterBackend,
} from '@brokenrecord/core';
import { cudaBackend, cudaHostBackend, CudaContext } from '@brokenrecord/backend-cuda';
import { tsBackend } from '@brokenrecord/backend-ts';
import { columnBits, expectBitwiseEqual, Random } from '@brokenrecord/conformance';
import { afterAll, describe, expect, it, vi } from 'vitest';

const verletPairwise = defineSystem({
  integrator: 'verlet',
  rules: [uniformGravity({ g: [0, -1, 0] }), pairwiseGravity({ G: 1, softening: 0.1 })],
});

function randomState(seed: number, n: number): ParticleState {
  const random = new Random(seed);
  const s = ParticleState.create(n);
  for (let i = 0; i < n; i++) {
    for (const c of ['px', 'py', 'pz'] as const) s[c][i] = random.uniform(0, 5);
    for (const c of ['vx', 'vy', 'vz'] as const) s[c][i] = random.gaussian();
    s.mass[i] = random.uniform(0.5, 2);
  }
  return s;
}

// The host executor runs everywhere the package builds (so it is never skipped); the device one
// where there is a GPU.
const hostProbe = await cudaHostBackend.probe();
const deviceProbe = await cudaBackend.probe();
const executors = [
  { backend: cudaHostBackend, skip: false },
  { backend: cudaBackend, skip: !deviceProbe.available },
];

registerBackend(cudaHostBackend);
afterAll(() => {
  unregisterBackend(cudaHostBackend.name);
});

it('the host executor is available wherever the package built', () => {
  expect(hostProbe.reason).toBeUndefined();
  expect(hostProbe.available).toBe(true);
});

for (const { backend, skip } of executors) {
  describe.skipIf(skip)(`${backend.name}: checkpoint, rollback and the non-finite scan in the executor`, () => {
    const create = (system: typeof verletPairwise, state: ParticleState, dt: number) =>
      backend.create(system, state, { dt }) as CudaContext;

    it('rollback restores the checkpoint, and the steps after it match steps never rolled back (cached forces dropped)', () => {
      const ctx = create(verletPairwise, randomState(7, 300), 0.001);
      try {
        ctx.step(3); // Verlet now holds the forces of the current positions
        ctx.checkpoint();
        const saved = ctx.read().clone();
        ctx.step(5);
        const ahead = ctx.read().clone();
        expect(columnBits(ahead)).not.toEqual(columnBits(saved));
        ctx.rollback();
        expectBitwiseEqual(ctx.read(), saved, 'state after rollback');
        ctx.step(5);
        expectBitwiseEqual(ctx.read(), ahead, 'the same five steps again');
        ctx.rollback();
        ctx.rollback();
        expectBitwiseEqual(ctx.read(), saved, 'state after two more rollbacks');
      } finally {
        ctx.dispose();
      }
    });

    it('write() discards the checkpoint: rollback then throws; a new one covers the larger state', () => {
      const ctx = create(verletPairwise, randomState(1, 10), 0.001);
      try {
        ctx.checkpoint();
        const bigger = randomState(2, 700);
        ctx.write(bigger);
        expect(() => ctx.rollback()).toThrow(/without a checkpoint/);
        ctx.checkpoint();
        ctx.step(2);
        ctx.rollback();
        expectBitwiseEqual(ctx.read(), bigger, 'the 700 particles written');
      } finally {
        ctx.dispose();
      }
    });

    it('firstNonFinite finds the smallest index with NaN or ±Infinity in any of the six columns', () => {
      const clean = randomState(3, 1000);
      // Finite extremes the bit test must not mistake for infinities.
      clean.px[1] = 3.4028234663852886e38;
      clean.vy[2] = -3.4028234663852886e38;
      clean.vz[3] = 1e-45;
      const ctx = create(verletPairwise, clean.clone(), 0.001);
      try {
        expect(ctx.firstNonFinite()).toBe(-1);
        const values = [NaN, Infinity, -Infinity];
        for (const [k, column] of (['px', 'py', 'pz', 'vx', 'vy', 'vz'] as const).entries()) {
          const bad = clean.clone();
          const at = [999, 700 - 50 * k, 300 + k];
          at.forEach((i, j) => (bad[column][i] = values[(j + k) % 3]));
          ctx.write(bad);
          expect(ctx.firstNonFinite(), `${column} at ${at}`).toBe(300 + k);
          expect(firstNonFinite(bad)).toBe(300 + k);
        }
        const atZero = clean.clone();
        atZero.vz[0] = NaN;
        ctx.write(atZero);
        expect(ctx.firstNonFinite()).toBe(0);
        ctx.write(ParticleState.create(0));
        expect(ctx.firstNonFinite()).toBe(-1);
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

        const good = await createSimulation({ system, state: runaway(), dt: 1, backend: backend.name });
        await good.step(step - 1);
        const goodState = (await good.read()).clone();
        good.dispose();

        const sim = await createSimulation({ system, state: runaway(), dt: 1, backend: backend.name });
        const spies = (['read', 'write', 'checkpoint', 'rollback', 'firstNonFinite'] as const).map((m) =>
          vi.spyOn(CudaContext.prototype, m),
        );
        try {
          const [read, write, checkpoint, rollback, scan] = spies;
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
          for (const spy of spies) spy.mockRestore();
          sim.dispose();
        }
      });
    }
  });
}
