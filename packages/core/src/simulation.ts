import type { BackendContext } from './backend.js';
import { driftScale, relativeDrift, type Diagnostics } from './diagnostics.js';
import {
  AbortError,
  BackendError,
  BrokenRecordError,
  ConservationContractError,
  SimulationDivergedError,
  SnapshotError,
  ValidationError,
} from './errors.js';
import { resolveBackend, type BackendRequest } from './registry.js';
import { decodeSnapshot, encodeSnapshot, loadSnapshot, saveSnapshot } from './snapshot.js';
import { firstNonFinite, ParticleState } from './state.js';
import { checkMonitor, systemToJSON, type MonitorOptions, type SystemDefinition } from './system.js';
import { checkDt, checkState } from './validate.js';
import { checkStartStep, checkStepsPerCall, checkThreadCount } from './limits.js';
import { checkStepOptions, ChunkPacer, yieldToEventLoop, type StepOptions } from './step-control.js';
import { checkAttached, checkLiveState } from './state-check.js';
import type { Quantity } from './rules/index.js';

export interface SimulationOptions {
  system: SystemDefinition;
  state: ParticleState;
  dt: number;
  /** `'auto'` (default), a backend name, or names to try in order. */
  backend?: BackendRequest;
  /** Threads for backends that can use several (ts worker threads, avx2 OpenMP). */
  threads?: number;
  /** Runtime conservation monitor; defaults to the system's own. */
  monitor?: MonitorOptions;
  /** Step count the run starts from (resuming a snapshot); default 0. */
  startStep?: number;
}

/** One BrokenRecord run: a system, its state and the backend that steps it. */
export class Simulation {
  readonly backend: string;
  readonly system: SystemDefinition;
  readonly dt: number;
  #ctx: BackendContext;
  #steps = 0;
  #monitor: Readonly<MonitorOptions> | undefined;
  #baseline: { diagnostics: Diagnostics; scales: Map<Quantity, number> } | null = null;
  #warned = new Set<Quantity>();
  #queue: Promise<unknown> = Promise.resolve();
  /** Calls queued or running (dispose starts the backend's at once when there are none). */
  #pending = 0;
  #disposed = false;
  #disposal: Promise<void> | null = null;
  #pacer = new ChunkPacer();
  #backup: ParticleState | null = null;
  /** The state the user can reach (what the backend's read() returned), checked before each step call. */
  #user: ParticleState | null = null;

  /** Use `createSimulation`. */
  constructor(
    backend: string,
    system: SystemDefinition,
    dt: number,
    ctx: BackendContext,
    monitor?: Readonly<MonitorOptions>,
    steps = 0,
    /** The state the caller handed over (what it can edit before the first read()). */
    state?: ParticleState,
  ) {
    this.backend = backend;
    this.system = system;
    this.dt = dt;
    this.#ctx = ctx;
    this.#monitor = monitor;
    this.#steps = steps;
    this.#user = state ?? null;
  }

  /** Steps taken since creation (or since the restored snapshot's origin). */
  get steps(): number {
    return this.#steps;
  }
  get time(): number {
    return this.#steps * this.dt;
  }

  /**
   * The backend's own context, read-only, for code that must reach where the state lives, e.g. a
   * GPU renderer drawing straight from the backend's buffers instead of reading the state back.
   * Calling step/write/rollback on it directly bypasses this simulation's step count, divergence
   * guard and call ordering: use it to look, not to change.
   */
  get context(): BackendContext {
    return this.#ctx;
  }

  /**
   * Advances `n` steps. If a NaN or infinity appears, the state is rolled back to the end of the last
   * good step and `SimulationDivergedError` says which step and particle; if the backend throws,
   * the state is rolled back to where this call began. At most MAX_STEPS_PER_CALL steps per
   * call; the backend gets them in chunks of about CHUNK_TARGET_MS each (at most STEP_CHUNK
   * steps) with the event loop let through between, so timers fire while a long call runs.
   * The state the user can reach is checked first (ValidationError, state unchanged, if it was
   * edited into something invalid or its storage was detached). `options.signal` (an
   * AbortSignal) stops the call between chunks: it rejects with `AbortError` and the state is at
   * the last whole step, which `steps` counts. `dispose()` during the call stops it the same way
   * (a ValidationError: the simulation has been disposed).
   */
  step(n = 1, options?: StepOptions): Promise<void> {
    let signal: AbortSignal | undefined;
    try {
      checkStepsPerCall(n);
      signal = checkStepOptions(options).signal;
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#serial('step', async () => {
      if (this.#steps + n > Number.MAX_SAFE_INTEGER) {
        throw new ValidationError(
          'steps',
          `${n} more steps would take the step count (${this.#steps}) past 2^53 − 1, where it stops being exact`,
        );
      }
      if (signal?.aborted) throw new AbortError(this.#steps, 0, signal.reason);
      checkLiveState(await this.#userState());
      const every = this.#monitor ? this.#monitor.every : n;
      if (this.#monitor && !this.#baseline) await this.#takeBaseline();
      for (let done = 0; done < n;) {
        // With a monitor, chunks end on multiples of `every` so checks land on the same steps however step() is called.
        const chunk = Math.min(this.#pacer.limit(), this.#monitor ? Math.min(every - (this.#steps % every), n - done) : n - done);
        if (done > 0) {
          await yieldToEventLoop();
          if (this.#disposed) throw disposedError(`after ${done} step(s) of this call; state left at step ${this.#steps}`);
          if (signal?.aborted) throw new AbortError(this.#steps, done, signal.reason);
        }
        await this.#pacer.time(chunk, () => this.#guardedStep(chunk));
        done += chunk;
        if (this.#monitor && this.#steps % every === 0) await this.#check();
      }
    });
  }

  /** The current state (CPU backends: the live state, stepped in place; GPU: a fresh host copy). */
  read(): Promise<ParticleState> {
    return this.#serial('read', async () => {
      if (this.#user) checkAttached(this.#user);
      const state = await this.#ctx.read();
      checkAttached(state);
      return (this.#user = state);
    });
  }

  diagnostics(): Promise<Diagnostics> {
    return this.#serial('diagnostics', async () => {
      checkAttached(await this.#userState());
      return this.#ctx.diagnostics(this.time);
    });
  }

  /** Versioned, checksummed bytes holding the state, the system, dt and the step count. */
  snapshot(): Promise<Uint8Array> {
    return this.#serial('snapshot', async () => {
      if (this.#user) checkAttached(this.#user);
      const state = await this.#ctx.read();
      // A state edited into something invalid would make a snapshot that restore rejects.
      checkLiveState(state);
      return encodeSnapshot({ system: this.system, state, dt: this.dt, step: this.#steps, time: this.time });
    });
  }

  /** Restores bytes from `snapshot()` of a simulation of the same system and dt. */
  restore(bytes: Uint8Array): Promise<void> {
    return this.#serial('restore', async () => {
      const data = decodeSnapshot(bytes);
      if (JSON.stringify(systemToJSON(data.system)) !== JSON.stringify(systemToJSON(this.system))) {
        throw new SnapshotError('snapshot was taken of a different system');
      }
      if (data.dt !== this.dt) throw new SnapshotError(`snapshot dt ${data.dt} differs from this simulation's ${this.dt}`);
      await this.#ctx.write(data.state);
      this.#steps = data.step;
      this.#baseline = null;
    });
  }

  /** Atomically writes `snapshot()` to a file. */
  async save(path: string): Promise<void> {
    await saveSnapshot(path, await this.snapshot());
  }

  /**
   * Frees the backend (worker threads, native or GPU memory). Safe to call without awaiting and
   * more than once (every call returns the same promise). Calls already queued reject with a
   * ValidationError ('has been disposed'); a running step stops at the end of its current chunk
   * (a whole step). The backend is freed once nothing runs any more; the promise resolves then,
   * or rejects with `BackendError` if freeing failed. That rejection is never unhandled: a caller
   * that does not await dispose() loses nothing but the report.
   */
  dispose(): Promise<void> {
    if (this.#disposal) return this.#disposal;
    this.#disposed = true;
    const free = async () => {
      try {
        await this.#ctx.dispose();
      } catch (error) {
        throw new BackendError(this.backend, 'dispose', error);
      }
    };
    // Nothing running: free at once (as before, synchronously started); else after the last call.
    const disposal = this.#pending === 0 ? free() : this.#queue.then(free);
    disposal.catch(() => undefined);
    return (this.#disposal = disposal);
  }

  /** Whether dispose() was called. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /** The given state until read() returns one (the same object on every backend but cuda, which copies). */
  async #userState(): Promise<ParticleState> {
    return (this.#user ??= await this.#ctx.read());
  }

  /**
   * Runs `work` after every call before it. A call queued before dispose() rejects (typed) when
   * its turn comes, without touching the backend; anything a backend throws that is not one of
   * BrokenRecord's typed errors leaves as a BackendError naming the backend and the operation.
   */
  #serial<T>(operation: string, work: () => Promise<T>): Promise<T> {
    if (this.#disposed) return Promise.reject(disposedError());
    const guarded = async (): Promise<T> => {
      if (this.#disposed) throw disposedError(`before this ${operation}() call ran`);
      try {
        return await work();
      } catch (error) {
        if (error instanceof BrokenRecordError) throw error;
        throw new BackendError(this.backend, operation, error);
      }
    };
    this.#pending++;
    const run = this.#queue.then(guarded, guarded);
    this.#queue = run.then(
      () => void this.#pending--,
      () => void this.#pending--,
    );
    return run;
  }

  async #guardedStep(n: number): Promise<void> {
    await this.#checkpoint();
    try {
      await this.#ctx.step(n, this.#steps);
    } catch (error) {
      await this.#rollback();
      throw error;
    }
    if ((await this.#firstNonFinite()) < 0) {
      this.#steps += n;
      return;
    }
    // Replay one step at a time from the checkpoint to find the first bad step, and stop before it.
    await this.#rollback();
    for (let s = 1; s <= n; s++) {
      await this.#checkpoint();
      await this.#ctx.step(1, this.#steps);
      const bad = await this.#firstNonFinite();
      if (bad >= 0) {
        await this.#rollback();
        // Every good replayed step was already counted, so the bad one is the next.
        throw new SimulationDivergedError(this.#steps + 1, bad);
      }
      this.#steps += 1;
    }
  }

  /**
   * Saves the state a failed step rolls back to: where it lives when the backend offers that (a
   * device-to-device copy on a GPU), else into one host copy reused by every call (no allocation
   * per step call; a private copy, never shared with worker threads).
   */
  async #checkpoint(): Promise<void> {
    if (this.#ctx.checkpoint) return this.#ctx.checkpoint();
    const live = await this.#ctx.read();
    if (this.#backup) this.#backup.copyFrom(live);
    else this.#backup = live.clone({ shared: false });
  }

  async #rollback(): Promise<void> {
    if (this.#ctx.rollback) return this.#ctx.rollback();
    await this.#ctx.write(this.#backup!);
  }

  /** Scanned where the state lives when the backend can (natively, on the GPU), else on the host. */
  async #firstNonFinite(): Promise<number> {
    return this.#ctx.firstNonFinite ? this.#ctx.firstNonFinite() : firstNonFinite(await this.#ctx.read());
  }

  async #takeBaseline(): Promise<void> {
    const state = await this.#ctx.read();
    const diagnostics = await this.#ctx.diagnostics(this.time);
    const scales = new Map<Quantity, number>();
    for (const q of this.system.conserves) scales.set(q, driftScale(state, diagnostics, q));
    this.#baseline = { diagnostics, scales };
  }

  async #check(): Promise<void> {
    const monitor = this.#monitor!;
    const baseline = this.#baseline!;
    const now = await this.#ctx.diagnostics(this.time);
    for (const q of this.system.conserves) {
      const drift = relativeDrift(baseline.diagnostics, now, q, baseline.scales.get(q)!);
      if (drift <= monitor.tolerance) continue;
      const message = `${q} drifted by ${drift.toExponential(3)} (relative) after ${this.#steps} steps, tolerance ${monitor.tolerance}`;
      if (monitor.onViolation === 'throw') throw new ConservationContractError('monitor', q, message);
      if (!this.#warned.has(q)) {
        this.#warned.add(q);
        console.warn(`[brokenrecord] ${message}`);
      }
    }
  }
}

/**
 * Validates everything, picks the backend and creates the simulation. Bad input throws
 * `ValidationError` before any backend is touched; an unusable backend request throws
 * `BackendUnavailableError` with each candidate's reason.
 */
export async function createSimulation(options: SimulationOptions): Promise<Simulation> {
  if (!options || typeof options !== 'object') throw new ValidationError('options', 'expected an object');
  const known = ['system', 'state', 'dt', 'backend', 'threads', 'monitor', 'startStep'];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new ValidationError(`options.${key}`, `unknown option (known: ${known.join(', ')})`);
  }
  const { system } = options;
  if (!system || !Array.isArray(system.rules) || !(system.kinds instanceof Set)) {
    throw new ValidationError('system', 'expected the result of defineSystem()');
  }
  const dt = checkDt(options.dt);
  const state = checkState(options.state, system);
  const threads = await checkThreadCount(options.threads);
  const monitor = options.monitor ? checkMonitor(options.monitor) : system.monitor;
  const startStep = options.startStep === undefined ? 0 : checkStartStep(options.startStep);
  const backend = await resolveBackend(options.backend ?? 'auto', system);
  let ctx: BackendContext;
  try {
    ctx = await backend.create(system, state, { dt, ...(threads ? { threads } : {}) });
  } catch (error) {
    if (error instanceof BrokenRecordError) throw error;
    throw new BackendError(backend.name, 'create', error);
  }
  try {
    return new Simulation(backend.name, system, dt, ctx, monitor, startStep, state);
  } catch (error) {
    // Nothing created here may outlive a failed call (worker threads, native or GPU memory).
    await Promise.resolve(ctx.dispose()).catch(() => undefined);
    throw error;
  }
}

function disposedError(detail?: string): ValidationError {
  return new ValidationError('simulation', detail ? `has been disposed (${detail})` : 'has been disposed');
}

/** Recreates a simulation from snapshot bytes or a `.brsnap` file, at the step it was taken. */
export async function resumeSimulation(
  source: Uint8Array | string,
  options: { backend?: BackendRequest; threads?: number; monitor?: MonitorOptions } = {},
): Promise<Simulation> {
  const data = typeof source === 'string' ? await loadSnapshot(source) : decodeSnapshot(source);
  return createSimulation({ system: data.system, state: data.state, dt: data.dt, ...options, startStep: data.step });
}
