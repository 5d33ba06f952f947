import { Worker } from 'node:worker_threads';
import { awaitWorkers, CONTROL_INTS, MESSAGE_BYTES, SharedBarrier, TeamAborted } from './barrier.js';
import { compileForces, type CodegenMode, type CompiledForces } from './codegen/compile.js';
import { advance, type AdvanceOptions } from './kernels/integrate.js';
import type { StepPlan } from './plan.js';
import type { Topology } from './topology.js';
import { sameColumns, type ColumnBuffers, type ScratchBuffers, type Workspace } from './workspace.js';

/**
 * What a worker is given once, at start: the plan (plain data, expression trees included) from
 * which it generates the same kernels as the main thread, in the same mode.
 */
export interface WorkerSetup {
  plan: StepPlan;
  mode: CodegenMode;
  control: SharedArrayBuffer;
  message: SharedArrayBuffer;
}

/** The shared memory one run works on: columns (attributes included), scratch, bond topology. */
export interface Attachment {
  columns: ColumnBuffers;
  scratch: ScratchBuffers;
  topology: Topology;
}

/** What a worker is told for each `step(n)` call. */
export interface RunMessage {
  type: 'run';
  /** Present when the state's storage, its count, the scratch or the topology changed since the last run. */
  attach?: Attachment;
  rank: number;
  lo: number;
  hi: number;
  steps: number;
  parties: number;
  options: AdvanceOptions;
}

/** What a context needs of its team (an interface, so the class may come through `#platform`). */
export interface Team {
  readonly threads: number;
  run(
    plan: StepPlan,
    ws: Workspace,
    columns: ColumnBuffers,
    scratch: ScratchBuffers,
    topology: Topology,
    steps: number,
    options: AdvanceOptions,
  ): void;
  dispose(): Promise<void>;
}

/**
 * `threads` participants stepping one shared state: the calling (main) thread and threads − 1
 * workers, each owning a contiguous range of particles. The workers sleep in their event loop
 * between runs and are unref'd, so an undisposed team never keeps the process alive.
 */
export class ThreadTeam implements Team {
  readonly #workers: Worker[];
  readonly #control: Int32Array;
  readonly #message: Uint8Array;
  readonly #forces: CompiledForces | null;
  #attached: Attachment | null = null;
  #disposal: Promise<void> | null = null;
  /** Set when a worker died between runs; the team can no longer step (it would wait forever). */
  #lost: string | null = null;

  private constructor(workers: Worker[], control: Int32Array, message: Uint8Array, forces: CompiledForces | null) {
    this.#workers = workers;
    this.#forces = forces;
    this.#control = control;
    this.#message = message;
    for (const w of workers) {
      // Failures inside a run are reported through the control block; these only notice a worker
      // that dies outside one, and keep that from becoming an uncaught error of the process.
      w.on('error', (e) => (this.#lost ??= `a worker thread failed: ${e.message}`));
      w.on('exit', (code) => {
        if (!this.#disposal) this.#lost ??= `a worker thread exited (code ${code})`;
      });
      w.unref();
    }
  }

  static async start(plan: StepPlan, mode: CodegenMode, threads: number): Promise<ThreadTeam> {
    const control = new SharedArrayBuffer(CONTROL_INTS * 4);
    const message = new SharedArrayBuffer(MESSAGE_BYTES);
    const setup: WorkerSetup = { plan, mode, control, message };
    // The main thread's share runs the kernels compiled from the very plan the workers get.
    const forces = plan.custom ? compileForces(plan.kernel, mode) : null;
    const url = new URL('./worker.js', import.meta.url);
    const workers: Worker[] = [];
    try {
      for (let k = 1; k < threads; k++) workers.push(new Worker(url, { workerData: setup }));
      await Promise.all(workers.map(ready));
    } catch (error) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw error;
    }
    return new ThreadTeam(workers, new Int32Array(control), new Uint8Array(message), forces);
  }

  get threads(): number {
    return this.#workers.length + 1;
  }

  /**
   * Runs `steps` steps over the whole state: posts each worker its range, steps the main thread's
   * own range (the first), and returns once every worker is done. Throws if any participant failed.
   */
  run(
    plan: StepPlan,
    ws: Workspace,
    columns: ColumnBuffers,
    scratch: ScratchBuffers,
    topology: Topology,
    steps: number,
    options: AdvanceOptions,
  ): void {
    if (this.#disposal) throw new Error('the thread team has been disposed');
    if (this.#lost) throw new Error(this.#lost);
    const parties = this.threads;
    const n = ws.count;
    const bound = (k: number) => Math.floor((k * n) / parties);
    const attach = this.#needsAttach(columns, scratch, topology) ? { columns, scratch, topology } : undefined;
    this.#workers.forEach((w, index) => {
      const k = index + 1;
      const run: RunMessage = { type: 'run', attach, rank: k, lo: bound(k), hi: bound(k + 1), steps, parties, options };
      w.postMessage(run);
    });
    const sync = new SharedBarrier(this.#control, this.#message, parties, 0);
    let failure: unknown = null;
    try {
      advance(plan, this.#forces, ws, 0, bound(1), steps, sync, options);
    } catch (error) {
      failure = error;
      // Wake the workers waiting for us at a barrier so they can finish and report.
      if (!(error instanceof TeamAborted)) sync.abort(error instanceof Error ? error.message : String(error));
    }
    const workerFailure = awaitWorkers(this.#control, this.#message, this.#workers.length);
    if (failure && !(failure instanceof TeamAborted)) throw failure;
    if (failure || workerFailure) throw new Error(`a worker thread failed during step: ${workerFailure ?? (failure as Error).message}`);
  }

  #needsAttach(columns: ColumnBuffers, scratch: ScratchBuffers, topology: Topology): boolean {
    const last = this.#attached;
    const same = last !== null && last.scratch === scratch && last.topology === topology && sameColumns(last.columns, columns);
    if (!same) this.#attached = { columns, scratch, topology };
    return !same;
  }

  /** Terminates the workers; safe to call more than once (every call gets the same promise). */
  dispose(): Promise<void> {
    this.#disposal ??= Promise.all(this.#workers.map((w) => w.terminate())).then(() => undefined);
    return this.#disposal;
  }
}

function ready(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown) => {
      if ((m as { type?: string })?.type !== 'ready') return;
      cleanup();
      resolve();
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`worker thread exited with code ${code} before it was ready`));
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}
