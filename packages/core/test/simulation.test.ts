import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ConservationContractError,
  createSimulation,
  defineSystem,
  getRegisteredBackends,
  pairwiseGravity,
  ParticleState,
  registerBackend,
  resetRegistryForTests,
  resumeSimulation,
  SimulationDivergedError,
  uniformGravity,
  unregisterBackend,
  ValidationError,
} from '../src/index.js';
import { fakeBackend } from './fake-backend.js';

let backend: ReturnType<typeof fakeBackend>;
beforeEach(() => {
  for (const b of getRegisteredBackends()) unregisterBackend(b.name);
  resetRegistryForTests();
  backend = fakeBackend('fake', 1, { available: true }, ['uniformGravity', 'pairwiseGravity']);
  registerBackend(backend);
});

const bits = (a: Float32Array) => [...new Uint32Array(a.slice().buffer)];

describe('Simulation', () => {
  it('rejects bad input before any backend is created, leaving the state untouched', async () => {
    const system = defineSystem({ rules: [uniformGravity()] });
    const state = ParticleState.from({ position: [[0, 0, 0]], mass: [1] });
    state.mass[0] = -1; // corrupted after construction
    const before = bits(state.px);
    await expect(createSimulation({ system, state, dt: 0.1 })).rejects.toThrow(ValidationError);
    for (const dt of [0, -1, NaN, Infinity]) {
      await expect(createSimulation({ system, state: ParticleState.create(1), dt })).rejects.toThrow(ValidationError);
    }
    await expect(createSimulation({ system, state: ParticleState.create(1), dt: 1, speed: 2 } as never)).rejects.toThrow(ValidationError);
    const coincident = defineSystem({ rules: [pairwiseGravity()] });
    await expect(createSimulation({ system: coincident, state: ParticleState.create(2), dt: 1 })).rejects.toThrow(
      /coincides with particle 0/,
    );
    expect(backend.created).toEqual([]);
    expect(bits(state.px)).toEqual(before);
  });

  it('validates step counts', async () => {
    const sim = await createSimulation({ system: defineSystem({ rules: [] }), state: ParticleState.create(1), dt: 1 });
    for (const n of [-1, 1.5, NaN, '3']) await expect(sim.step(n as number)).rejects.toThrow(ValidationError);
  });

  it("exposes the backend's own context (the one holding the live state) to renderers", async () => {
    const state = ParticleState.from({ position: [[0, 0, 0]], mass: [1] });
    const sim = await createSimulation({ system: defineSystem({ rules: [uniformGravity()] }), state, dt: 0.1 });
    await sim.step(2);
    expect(await sim.context.read()).toBe(await sim.read());
  });

  it('reports the step and particle of a divergence and keeps the last good state', async () => {
    // v_n = n·1e38 and y_n = 1e38·n(n+1)/2: y_3 = 6e38 exceeds float32's 3.4e38, so step 3 is the first bad one.
    const system = defineSystem({ rules: [uniformGravity({ g: [0, 1e38, 0] })] });
    const state = ParticleState.from({
      position: [
        [0, 0, 0],
        [1, 0, 0],
      ],
      mass: [1, 1],
    });
    const sim = await createSimulation({ system, state, dt: 1 });
    await sim.step(1);
    await sim.step(1); // the error must count steps across calls
    const error = await sim.step(10).catch((e) => e);
    expect(error).toBeInstanceOf(SimulationDivergedError);
    expect(error).toMatchObject({ step: 3, particle: 0, code: 'SIMULATION_DIVERGED' });
    expect(sim.steps).toBe(2);
    const reference = ParticleState.from({
      position: [
        [0, 0, 0],
        [1, 0, 0],
      ],
      mass: [1, 1],
    });
    const refSim = await createSimulation({ system, state: reference, dt: 1 });
    await refSim.step(2);
    expect(bits((await sim.read()).vy)).toEqual(bits(reference.vy));
    expect(bits((await sim.read()).py)).toEqual(bits(reference.py));
  });

  it('rolls back to the start of the call when the backend throws', async () => {
    const system = defineSystem({ rules: [uniformGravity()] });
    const state = ParticleState.from({ position: [[0, 0, 0]], mass: [1] });
    const sim = await createSimulation({ system, state, dt: 0.1 });
    await sim.step(5);
    const before = bits(state.py);
    backend.failAtStep = 8;
    await expect(sim.step(10)).rejects.toThrow('device lost');
    expect(bits(state.py)).toEqual(before);
    expect(sim.steps).toBe(5);
  });

  it('monitor warns or throws when a declared quantity drifts', async () => {
    // The fake backend ignores pairwise gravity, so energy is not conserved: the monitor must notice.
    const system = defineSystem({ rules: [pairwiseGravity({ softening: 0.1 })], conserves: ['energy'] });
    const make = () =>
      ParticleState.from({
        position: [
          [0, 0, 0],
          [1, 0, 0],
        ],
        velocity: [
          [0, 1, 0],
          [0, -1, 0],
        ],
        mass: [1, 1],
      });
    const sim = await createSimulation({ system, state: make(), dt: 0.1, monitor: { every: 5, tolerance: 1e-3, onViolation: 'throw' } });
    await expect(sim.step(20)).rejects.toBeInstanceOf(ConservationContractError);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const sim2 = await createSimulation({ system, state: make(), dt: 0.1, monitor: { every: 5, tolerance: 1e-3 } });
    await sim2.step(20);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/energy drifted/);
    warn.mockRestore();
  });

  it('snapshots and resumes at the same step', async () => {
    const system = defineSystem({ rules: [uniformGravity()] });
    const sim = await createSimulation({ system, state: ParticleState.from({ position: [[0, 10, 0]], mass: [1] }), dt: 0.01 });
    await sim.step(7);
    const bytes = await sim.snapshot();
    const resumed = await resumeSimulation(bytes, { backend: 'fake' });
    expect(resumed.steps).toBe(7);
    await sim.step(3);
    await resumed.step(3);
    expect(bits((await resumed.read()).py)).toEqual(bits((await sim.read()).py));
    await sim.restore(bytes);
    expect(sim.steps).toBe(7);
  });

  it('refuses calls after dispose and tolerates dispose twice', async () => {
    const sim = await createSimulation({ system: defineSystem({ rules: [] }), state: ParticleState.create(1), dt: 1 });
    sim.dispose();
    sim.dispose();
    await expect(sim.step(1)).rejects.toThrow(/disposed/);
  });
});
