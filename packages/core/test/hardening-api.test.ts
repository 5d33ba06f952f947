import { beforeEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  BackendError,
  bounds,
  BrokenRecordError,
  createSimulation,
  decodeSnapshot,
  defineSystem,
  encodeSnapshot,
  getRegisteredBackends,
  MAX_DT,
  MIN_DT,
  ParticleState,
  periodic,
  registerBackend,
  resetRegistryForTests,
  simulate,
  SnapshotError,
  uniformGravity,
  unregisterBackend,
  ValidationError,
  type BackendContext,
  computeDiagnostics,
  resumeSimulation,
  saveSnapshot,
  toCSV,
  toVTK,
  toXYZ,
} from '../src/index.js';
import { tmpdir } from 'node:os';
import { fakeBackend } from './fake-backend.js';

let backend: ReturnType<typeof fakeBackend>;
beforeEach(() => {
  for (const b of getRegisteredBackends()) unregisterBackend(b.name);
  resetRegistryForTests();
  backend = fakeBackend('fake', 1, { available: true });
  registerBackend(backend);
});

const system = defineSystem({ rules: [uniformGravity()] });
const one = () => ParticleState.from({ position: [[0, 0, 0]], velocity: [[1, 0, 0]], mass: [1], radius: [0.5] });

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e,
  );
}

async function typed<E extends BrokenRecordError>(
  promise: Promise<unknown>,
  type: abstract new (...a: never[]) => E,
  code: string,
): Promise<E> {
  const error = await failure(promise);
  expect(error, String(error)).toBeInstanceOf(type);
  expect((error as E).code).toBe(code);
  return error as E;
}

/** Records unhandled rejections while `run` and a few event-loop turns after it run. */
async function unhandledDuring(run: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => void seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await run();
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 1));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

describe('dispose', () => {
  it('a step queued before dispose() rejects with a ValidationError and never reaches the backend', async () => {
    const sim = await createSimulation({ system, state: one(), dt: 0.1 });
    let calls = 0;
    const step = sim.context.step.bind(sim.context);
    sim.context.step = (n: number) => {
      calls++;
      return step(n);
    };
    const first = sim.step(1);
    const queued = sim.step(1);
    const disposal = sim.dispose();
    await first.catch(() => undefined);
    const error = await typed(queued, ValidationError, 'VALIDATION');
    expect(error.field).toBe('simulation');
    await disposal;
    expect(calls).toBeLessThanOrEqual(1);
    expect(sim.disposed).toBe(true);
    expect(sim.dispose()).toBe(disposal);
  });

  it('a long step stops at a whole step when dispose() is called, and the backend is freed after it', async () => {
    const sim = await createSimulation({ system, state: one(), dt: 1e-6 });
    const order: string[] = [];
    const ctx = sim.context as BackendContext;
    const dispose = ctx.dispose.bind(ctx);
    const step = ctx.step.bind(ctx);
    ctx.dispose = () => {
      order.push('dispose');
      return dispose();
    };
    ctx.step = (n: number) => {
      order.push('step');
      return step(n);
    };
    const running = sim.step(2 ** 30);
    await new Promise((r) => setTimeout(r, 30));
    const disposal = sim.dispose();
    const error = await typed(running, ValidationError, 'VALIDATION');
    await disposal;
    expect(error.message).toMatch(/disposed/);
    expect(sim.steps).toBeGreaterThan(0);
    expect(sim.steps).toBeLessThan(2 ** 30);
    // The backend is freed once, after its last step call.
    expect(order.indexOf('dispose')).toBe(order.length - 1);
    expect(order.filter((o) => o === 'dispose')).toHaveLength(1);
  });

  it("a backend's failing dispose is a BackendError for whoever awaits it, and never an unhandled rejection", async () => {
    const sim = await createSimulation({ system, state: one(), dt: 0.1 });
    sim.context.dispose = async () => {
      throw new Error('device vanished');
    };
    const seen = await unhandledDuring(async () => {
      void sim.dispose(); // not awaited, as most callers do
    });
    expect(seen).toEqual([]);
    const error = await typed(sim.dispose(), BackendError, 'BACKEND_FAILURE');
    expect(error.backend).toBe('fake');
    expect(error.operation).toBe('dispose');
    expect((error.cause as Error).message).toBe('device vanished');
  });

  it('an untyped backend failure during a step leaves as a BackendError (cause kept), state rolled back', async () => {
    const sim = await createSimulation({ system, state: one(), dt: 0.1 });
    await sim.step(2);
    backend.failAtStep = 4;
    const error = await typed(sim.step(5), BackendError, 'BACKEND_FAILURE');
    expect(error.operation).toBe('step');
    expect((error.cause as Error).message).toBe('device lost');
    expect(sim.steps).toBe(2);
  });

  it('a backend whose create() throws an untyped error gives a BackendError', async () => {
    registerBackend({
      ...fakeBackend('broken', 5, { available: true }),
      create: () => {
        throw new TypeError('bad plan');
      },
    });
    const error = await typed(createSimulation({ system, state: one(), dt: 0.1, backend: 'broken' }), BackendError, 'BACKEND_FAILURE');
    expect(error.operation).toBe('create');
  });
});

describe('exotic state objects never reach a backend', () => {
  const cases: [string, () => unknown][] = [
    ['a Proxy of a state', () => new Proxy(one(), {})],
    ['an own column() override', () => Object.assign(one(), { column: () => new Float64Array(3) })],
    ['an own px getter', () => Object.defineProperty(one(), 'px', { get: () => new Float32Array(0) })],
    [
      'a subclass overriding count',
      () => {
        class Liar extends (ParticleState as unknown as new () => object) {}
        Object.defineProperty(Liar.prototype, 'count', { get: () => 1e9 });
        const s = one();
        Object.setPrototypeOf(s, Liar.prototype);
        return s;
      },
    ],
    ['an object inheriting the prototype', () => Object.create(ParticleState.prototype)],
  ];
  for (const [what, make] of cases) {
    it(`${what} is a ValidationError at createSimulation`, async () => {
      const error = await typed(createSimulation({ system, state: make() as ParticleState, dt: 0.1 }), ValidationError, 'VALIDATION');
      expect(error.field).toMatch(/^state/);
      expect(backend.created).toEqual([]);
    });
  }

  it('an override added to the live state between steps is a ValidationError on the next call, nothing stepped', async () => {
    const sim = await createSimulation({ system, state: one(), dt: 0.1 });
    await sim.step(1);
    const live = await sim.read();
    Object.defineProperty(live, 'column', { value: () => new Float32Array(1e6), configurable: true });
    for (const call of [() => sim.step(1), () => sim.diagnostics(), () => sim.snapshot(), () => sim.read()]) {
      await typed(call(), ValidationError, 'VALIDATION');
    }
    expect(sim.steps).toBe(1);
    delete (live as { column?: unknown }).column;
    await sim.step(1);
    expect(sim.steps).toBe(2);
  });
});

describe('values lost to float32 or JS arithmetic', () => {
  it(`dt outside [2^-63, FLOAT32_MAX] is a ValidationError (${MIN_DT} .. ${MAX_DT})`, async () => {
    for (const dt of [1e-50, 1e-30, 1e-20, MIN_DT / 2, 1e39, 1e300]) {
      const error = await typed(createSimulation({ system, state: one(), dt }), ValidationError, 'VALIDATION');
      expect(error.field).toBe('dt');
    }
    for (const dt of [MIN_DT, 1e-12, 1e19, MAX_DT]) await (await createSimulation({ system, state: one(), dt })).dispose();
  });

  it('boxes whose bounds are equal or unordered in float32 are ValidationErrors', () => {
    for (const make of [bounds, periodic] as const) {
      const name = make === bounds ? 'bounds' : 'periodic';
      expect(() => make({ min: [0, 1, 0], max: [1, 1 + 1e-12, 1] }), `${name} 1 .. 1+1e-12`).toThrow(/float32/);
      expect(() => make({ min: [0, 0, 0], max: [1, 1, 1e39] }), `${name} beyond float32`).toThrow(ValidationError);
      expect(() => make({ min: [0, 2, 0], max: [1, 1, 1] }), `${name} unordered`).toThrow(ValidationError);
      expect(make({ min: [0, 1, 0], max: [1, 1 + 1e-6, 1] }).kind).toBe(name);
    }
    expect(() => periodic({ min: [-3e38, 0, 0], max: [3e38, 1, 1] })).toThrow(/overflows float32/);
  });

  it('snapshot step counts beyond 2^53 − 1 or not integers are refused on encode and decode', async () => {
    const sim = await createSimulation({ system, state: one(), dt: 0.1 });
    const good = await sim.snapshot();
    for (const step of [2 ** 53, 1e300, 1.5, -1, NaN]) {
      expect(() => encodeSnapshot({ system, state: one(), dt: 0.1, step, time: 0 }), `encode step ${step}`).toThrow(ValidationError);
      const bytes = good.slice();
      new DataView(bytes.buffer).setFloat64(16, step, true);
      // Re-seal the checksum so only the step is wrong.
      const { crc32 } = await import('../src/index.js');
      new DataView(bytes.buffer).setUint32(bytes.length - 4, crc32(bytes.subarray(0, bytes.length - 4)), true);
      expect(() => decodeSnapshot(bytes), `decode step ${step}`).toThrow(SnapshotError);
    }
  });

  it('step() refuses to take the step count past 2^53 − 1', async () => {
    const sim = await createSimulation({ system, state: one(), dt: 0.1, startStep: Number.MAX_SAFE_INTEGER - 2 });
    await sim.step(2);
    const error = await typed(sim.step(1), ValidationError, 'VALIDATION');
    expect(error.field).toBe('steps');
    expect(sim.steps).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('simulate() rejects unknown options, threads: 0, dt: null and steps: null', async () => {
    const world = { particles: [{ position: [0, 0, 0], mass: 1 }] };
    const bad: [string, object][] = [
      ['options.stepz', { stepz: 5 }],
      ['threads', { threads: 0 }],
      ['dt', { dt: null }],
      ['steps', { steps: null }],
      ['dt', { dt: 1e-50 }],
    ];
    for (const [field, options] of bad) {
      const error = await typed(simulate(world, options as never), ValidationError, 'VALIDATION');
      expect(error.field, JSON.stringify(options)).toBe(field);
    }
    expect(backend.created).toEqual([]);
    const out = await simulate(world, { steps: 2, dt: 0.5 });
    expect(out.particles[0].position[1]).toBeCloseTo(-9.81 * 0.25 * 3, 4);
  });
});

describe('cancellation', () => {
  it('an aborted signal stops a long step at a whole step: AbortError, steps exact, timers fired', async () => {
    const sim = await createSimulation({ system, state: one(), dt: 1e-6 });
    const controller = new AbortController();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    setTimeout(() => controller.abort(new Error('user pressed stop')), 100);
    const error = await typed(sim.step(2 ** 31 - 1, { signal: controller.signal }), AbortError, 'ABORTED');
    clearInterval(timer);
    // A 1 ms interval fires once per event-loop turn: at least once per yield between ~20 ms chunks.
    expect(ticks).toBeGreaterThanOrEqual(2);
    expect(error.stoppedAt).toBe(sim.steps);
    expect(error.completed).toBe(sim.steps);
    expect((error.cause as Error).message).toBe('user pressed stop');
    // The state is exactly that of `steps` whole steps.
    const replay = await createSimulation({ system, state: one(), dt: 1e-6 });
    await replay.step(sim.steps);
    expect(Array.from((await sim.read()).vy)).toEqual(Array.from((await replay.read()).vy));
    // And the simulation goes on.
    await sim.step(3, { signal: new AbortController().signal });
    expect(sim.steps).toBe(error.stoppedAt + 3);
  });

  it('an already aborted signal takes no step; bad options are ValidationErrors', async () => {
    const sim = await createSimulation({ system, state: one(), dt: 0.1 });
    const error = await typed(sim.step(5, { signal: AbortSignal.abort() }), AbortError, 'ABORTED');
    expect(error.completed).toBe(0);
    expect(sim.steps).toBe(0);
    for (const options of [{ signal: {} }, { sginal: 1 }, null, 5]) {
      await typed(sim.step(1, options as never), ValidationError, 'VALIDATION');
    }
    expect(sim.steps).toBe(0);
  });
});

describe('every error that leaves the API is typed', () => {
  const s = () => ParticleState.from({ position: [[0, 0, 0]], mass: 1 });
  const hostile: [string, () => unknown][] = [
    ['remove(null)', () => s().remove(null as never)],
    ["column('toString')", () => s().column('toString' as never)],
    ["column('bogus')", () => s().column('bogus' as never)],
    ['copyFrom(null)', () => s().copyFrom(null as never)],
    ['copyFrom({})', () => s().copyFrom({} as never)],
    ['computeDiagnostics(null)', () => computeDiagnostics(null as never, system)],
    ['computeDiagnostics(state, null)', () => computeDiagnostics(s(), null as never)],
    ['toCSV(null)', () => toCSV(null as never)],
    ['toVTK(Proxy)', () => toVTK(new Proxy(s(), {}))],
    ['toXYZ({})', () => toXYZ({} as never)],
    ['decodeSnapshot(null)', () => decodeSnapshot(null as never)],
    ['encodeSnapshot(null)', () => encodeSnapshot(null as never)],
    ['resumeSimulation(42)', () => resumeSimulation(42 as never)],
    ['saveSnapshot(dir)', () => saveSnapshot(tmpdir(), new Uint8Array(3))],
    ['defineSystem bogus rule', () => defineSystem({ rules: [{ kind: 'bogus', options: {} } as never] })],
  ];
  for (const [what, call] of hostile) {
    it(`${what} is a BrokenRecordError with a code`, async () => {
      const error = await failure(Promise.resolve().then(call));
      expect(error, `${what}: ${String(error)}`).toBeInstanceOf(BrokenRecordError);
      expect(typeof (error as BrokenRecordError).code).toBe('string');
    });
  }
});
