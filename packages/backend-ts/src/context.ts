import {
  computeDiagnostics,
  type BackendContext,
  type BackendOptions,
  type Diagnostics,
  type ParticleState,
  type SystemDefinition,
} from '@brokenrecord/core';
import { PairwiseCache } from './pairwise-cache.js';
import { advance, SINGLE_THREAD, type AdvanceOptions } from './kernels/integrate.js';
import { compilePlan, type StepPlan } from './plan.js';
import type { ThreadTeam } from './thread-team.js';
import { allocateScratch, describeColumns, makeWorkspace, type ScratchBuffers } from './workspace.js';

export interface TsBackendOptions extends BackendOptions {
  /**
   * Step fusion for per-particle systems (default true). Fused and phase-by-phase runs agree
   * bitwise; turning it off exists to test exactly that.
   */
  fuse?: boolean;
}

/**
 * A simulation on the TypeScript backend. It steps the caller's ParticleState in place, so
 * `read()` returns that live state. The state's columns are looked up again at every `step()`
 * call: the user may add or remove particles in between, which can move their storage.
 */
export class TsContext implements BackendContext {
  readonly #state: ParticleState;
  readonly #system: SystemDefinition;
  readonly #plan: StepPlan;
  readonly #fuse: boolean;
  /** Only verlet reuses (pairwise gravity) accelerations across steps. */
  readonly #cache: PairwiseCache | null;
  readonly #team: ThreadTeam | null;
  #scratch: ScratchBuffers;
  #disposed = false;

  private constructor(system: SystemDefinition, state: ParticleState, plan: StepPlan, fuse: boolean, team: ThreadTeam | null) {
    this.#system = system;
    this.#state = state;
    this.#plan = plan;
    this.#fuse = fuse;
    this.#team = team;
    this.#cache = plan.integrator === 'verlet' && plan.pairwise.length > 0 ? new PairwiseCache() : null;
    this.#scratch = allocateScratch(Math.max(state.count, 1), team !== null);
  }

  /**
   * Threads ≥ 2 start a worker team and move the state into shared memory. Worker threads are a
   * Node feature; elsewhere (browsers) the option is ignored and the run is single-threaded.
   */
  static async create(system: SystemDefinition, state: ParticleState, options: TsBackendOptions): Promise<TsContext> {
    const plan = compilePlan(system, options.dt);
    const threads = options.threads ?? 1;
    const node = typeof process !== 'undefined' && Boolean(process.versions?.node);
    let team: ThreadTeam | null = null;
    if (threads >= 2 && node) {
      // Loaded on demand so that single-threaded use (and browsers) never touch worker_threads.
      const { ThreadTeam } = await import('./thread-team.js');
      team = await ThreadTeam.start(plan, threads);
      state.share();
    }
    return new TsContext(system, state, plan, options.fuse ?? true, team);
  }

  step(steps: number): void {
    if (this.#disposed) throw new Error('the simulation context has been disposed');
    if (steps === 0) return;
    const state = this.#state;
    if (this.#team) state.share(); // no-op unless something replaced the storage with unshared memory
    const count = state.count;
    if (count > this.#scratch.capacity) {
      this.#scratch = allocateScratch(Math.max(count, Math.ceil(this.#scratch.capacity * 1.5)), this.#team !== null);
      this.#cache?.invalidate(); // the cached accelerations stayed behind in the old scratch
    }
    const columns = describeColumns(state);
    const ws = makeWorkspace(columns, this.#scratch);
    const options: AdvanceOptions = { pairwiseValid: this.#cache?.isValidFor(state) ?? false, fuse: this.#fuse };
    this.#cache?.invalidate(); // until this call completes: a failed step leaves no trusted accelerations
    if (this.#team) this.#team.run(this.#plan, ws, columns, this.#scratch, steps, options);
    else advance(this.#plan, ws, 0, count, steps, SINGLE_THREAD, options);
    this.#cache?.remember(state);
  }

  read(): ParticleState {
    return this.#state;
  }

  /** Copies `state` into the live state (which keeps its identity) and drops cached accelerations. */
  write(state: ParticleState): void {
    if (state !== this.#state) this.#state.copyFrom(state);
    this.#cache?.invalidate();
  }

  diagnostics(): Diagnostics {
    return computeDiagnostics(this.#state, this.#system);
  }

  /** Stops the worker threads, if any; safe to call twice. */
  dispose(): Promise<void> {
    this.#disposed = true;
    return this.#team ? this.#team.dispose() : Promise.resolve();
  }

  /** Threads actually stepping (1 without a team). */
  get threads(): number {
    return this.#team?.threads ?? 1;
  }
}
