import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createSimulation,
  defineSystem,
  getRegisteredBackends,
  MAX_STEPS_PER_CALL,
  MAX_THREADS,
  maxThreads,
  ParticleState,
  registerBackend,
  resetRegistryForTests,
  STEP_CHUNK,
  FIRST_CHUNK,
  uniformGravity,
  unregisterBackend,
  ValidationError,
} from '../src/index.js';
import { fakeBackend } from './fake-backend.js';

let backend: ReturnType<typeof fakeBackend>;
beforeEach(() => {
  for (const b of getRegisteredBackends()) unregisterBackend(b.name);
  resetRegistryForTests();
  backend = fakeBackend('fake', 1, { available: true });
  registerBackend(backend);
});

const system = defineSystem({ rules: [uniformGravity()] });
const bits = (a: Float32Array) => [...new Uint32Array(a.slice().buffer)];
const one = () => ParticleState.from({ position: [[0, 0, 0]], velocity: [[1, 0, 0]], mass: [1], radius: [0.5] });

async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).code).toBe('VALIDATION');
  return error as ValidationError;
}

describe('bounded step counts', () => {
  it('rejects more than MAX_STEPS_PER_CALL steps per call before the backend runs', async () => {
    const sim = await createSimulation({ system, state: one(), dt: 0.1 });
    const step = vi.spyOn(sim.context, 'step');
    for (const n of [1e12, 1e300, MAX_STEPS_PER_CALL + 1, Number.MAX_SAFE_INTEGER]) {
      const error = await rejection(sim.step(n));
      expect(error.field).toBe('steps');
    }
    expect(step).not.toHaveBeenCalled();
    expect(sim.steps).toBe(0);
  });

  it('hands long calls to the backend in chunks and lets timers run between them', async () => {
    const sim = await createSimulation({ system, state: one(), dt: 1e-6 });
    const calls: number[] = [];
    const step = sim.context.step.bind(sim.context);
    sim.context.step = (n: number) => {
      calls.push(n);
      return step(n);
    };
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    await sim.step(2 * STEP_CHUNK + 5);
    clearInterval(timer);
    // Chunks sized by time (about CHUNK_TARGET_MS each), starting small, never above STEP_CHUNK.
    expect(calls[0]).toBe(FIRST_CHUNK);
    expect(calls.reduce((a, b) => a + b, 0)).toBe(2 * STEP_CHUNK + 5);
    expect(Math.max(...calls)).toBeLessThanOrEqual(STEP_CHUNK);
    expect(calls.length).toBeGreaterThan(2);
    expect(ticks).toBeGreaterThan(0);
    expect(sim.steps).toBe(2 * STEP_CHUNK + 5);
  });
});

describe('options checked before any backend is created', () => {
  it('a bad startStep creates nothing (nothing to leak)', async () => {
    for (const startStep of [-1, 1.5, NaN, 1e300]) {
      await rejection(createSimulation({ system, state: one(), dt: 0.1, startStep }));
    }
    expect(backend.created).toEqual([]);
  });

  it('threads are bounded by MAX_THREADS and 4 × the hardware threads', async () => {
    const limit = await maxThreads();
    expect(limit).toBeLessThanOrEqual(MAX_THREADS);
    for (const threads of [0, 1024, limit + 1, 1.5]) {
      const error = await rejection(createSimulation({ system, state: one(), dt: 0.1, threads }));
      expect(error.field).toBe('threads');
    }
    expect(backend.created).toEqual([]);
    const sim = await createSimulation({ system, state: one(), dt: 0.1, threads: limit });
    expect(sim.backend).toBe('fake');
  });
});

describe('state edited between steps', () => {
  const edits: [string, (s: ParticleState) => void][] = [
    ['state.mass[0]', (s) => (s.mass[0] = NaN)],
    ['state.mass[0]', (s) => (s.mass[0] = 0)],
    ['state.mass[0]', (s) => (s.mass[0] = -1)],
    ['state.radius[0]', (s) => (s.radius[0] = -5)],
    ['state.px[0]', (s) => (s.px[0] = NaN)],
    ['state.vy[0]', (s) => (s.vy[0] = Infinity)],
  ];
  for (const [field, edit] of edits) {
    it(`${field} ← ${String(edit).split('= ')[1]?.replace(')', '')} is a ValidationError on the next step, state unchanged`, async () => {
      const sim = await createSimulation({ system, state: one(), dt: 0.1 });
      await sim.step(2);
      const live = await sim.read();
      edit(live);
      const before = (['px', 'py', 'pz', 'vx', 'vy', 'vz', 'mass', 'radius'] as const).map((c) => bits(live.column(c)));
      const step = vi.spyOn(sim.context, 'step');
      const error = await rejection(sim.step(1));
      expect(error.field).toBe(field);
      expect(step).not.toHaveBeenCalled();
      expect(sim.steps).toBe(2);
      expect((['px', 'py', 'pz', 'vx', 'vy', 'vz', 'mass', 'radius'] as const).map((c) => bits(live.column(c)))).toEqual(before);
      await rejection(sim.snapshot()); // a snapshot of it would be one that restore rejects
    });
  }

  it('the state given to createSimulation is checked too, and a repaired state steps on', async () => {
    const state = one();
    const sim = await createSimulation({ system, state, dt: 0.1 });
    state.mass[0] = 0;
    await rejection(sim.step(1));
    state.mass[0] = 2;
    await sim.step(1);
    expect(sim.steps).toBe(1);
  });
});

describe('detached storage', () => {
  it('every call that uses the state names the detached column (ValidationError), none steps', async () => {
    const state = one();
    const sim = await createSimulation({ system, state, dt: 0.1 });
    await sim.step(1);
    structuredClone(state.px.buffer, { transfer: [state.px.buffer as ArrayBuffer] });
    const step = vi.spyOn(sim.context, 'step');
    for (const call of [() => sim.step(1), () => sim.read(), () => sim.diagnostics(), () => sim.snapshot()]) {
      const error = await rejection(call());
      expect(error.field).toBe('state.px');
      expect(error.message).toMatch(/detached/);
    }
    expect(step).not.toHaveBeenCalled();
  });
});
