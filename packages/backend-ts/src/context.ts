import {
  computeDiagnostics,
  type BackendContext,
  type BackendOptions,
  type Diagnostics,
  type ParticleState,
  type SystemDefinition,
} from '@brokenrecord/core';
import { threadTeamClass } from '#platform';
import { compileSystem, resolveMode, type CodegenMode, type CompiledForces } from './codegen/compile.js';
import { ForceCache } from './force-cache.js';
import { treePotentials } from './kernels/gravity-tree/index.js';
import { advance, SINGLE_THREAD, type AdvanceOptions } from './kernels/integrate.js';
import { compilePlan, type StepPlan } from './plan.js';
import type { Team } from './thread-team.js';
import { TopologyTracker } from './topology.js';
import { allocateScratch, describeColumns, makeWorkspace, type ContactStats, type PairLayout, type ScratchBuffers } from './workspace.js';

export interface TsBackendOptions extends BackendOptions {
  /**
   * Step fusion for per-particle systems (default true). Fused and phase-by-phase runs agree
   * bitwise; turning it off exists to test exactly that.
   */
  fuse?: boolean;
  /**
   * How the expression rules run: generated JavaScript (default, where `new Function` is allowed)
   * or the interpreter of the same trees (what a strict Content-Security-Policy leaves). Both
   * agree bitwise; asking for the interpreter exists to test exactly that.
   */
  codegen?: CodegenMode;
}

/** Strides of the pair scratch for a system's loops, or null when it has no pair or bond term. */
function pairLayout(forces: CompiledForces | null): PairLayout | null {
  if (!forces) return null;
  const { grid, rows, periodicRows, bonds } = forces.spec;
  if (!grid && !rows && bonds.length === 0) return null;
  return { gridStride: grid?.stride ?? 0, rowStride: Math.max(rows?.stride ?? 0, periodicRows?.stride ?? 0) };
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
  readonly #forces: CompiledForces | null;
  readonly #fuse: boolean;
  /** Only verlet reuses (position-dependent) accelerations across steps. */
  readonly #cache: ForceCache | null;
  readonly #team: Team | null;
  readonly #topology: TopologyTracker;
  readonly #layout: PairLayout | null;
  #scratch: ScratchBuffers;
  /** Where the next call starts when core does not say (contexts driven directly). */
  #step = 0;
  #disposed = false;
  readonly #contacts: ContactStats = { unresolvedSteps: 0 };

  private constructor(
    system: SystemDefinition,
    state: ParticleState,
    plan: StepPlan,
    forces: CompiledForces | null,
    fuse: boolean,
    team: Team | null,
  ) {
    this.#system = system;
    this.#state = state;
    this.#plan = plan;
    this.#forces = forces;
    this.#fuse = fuse;
    this.#team = team;
    this.#cache = plan.integrator === 'verlet' && plan.positionForces ? new ForceCache(plan) : null;
    this.#topology = new TopologyTracker(plan.kernel, team !== null);
    this.#layout = pairLayout(forces);
    this.#scratch = this.#allocate(Math.max(state.count, 1));
  }

  /**
   * Threads ≥ 2 start a worker team and move the state into shared memory. Worker threads are a
   * Node feature; elsewhere (browsers) the option is ignored and the run is single-threaded.
   */
  static async create(system: SystemDefinition, state: ParticleState, options: TsBackendOptions): Promise<TsContext> {
    const plan = compilePlan(system, options.dt);
    const mode = resolveMode(options.codegen);
    const forces = plan.custom ? compileSystem(system, plan.kernel, mode) : null;
    const threads = options.threads ?? 1;
    const node = typeof process !== 'undefined' && Boolean(process.versions?.node);
    let team: Team | null = null;
    if (threads >= 2 && node) {
      // Loaded on demand so that single-threaded use (and browsers) never touch worker_threads.
      const ThreadTeam = await threadTeamClass();
      team = await ThreadTeam.start(plan, mode, threads);
      state.share();
    }
    return new TsContext(system, state, plan, forces, options.fuse ?? true, team);
  }

  #allocate(capacity: number): ScratchBuffers {
    return allocateScratch(capacity, this.#team !== null, this.#team?.threads ?? 1, this.#layout);
  }

  step(steps: number, from?: number): void {
    if (this.#disposed) throw new Error('the simulation context has been disposed');
    const start = from ?? this.#step;
    if (steps === 0) return;
    const state = this.#state;
    if (this.#team) state.share(); // no-op unless something replaced the storage with unshared memory
    const count = state.count;
    if (count > this.#scratch.capacity) {
      this.#scratch = this.#allocate(Math.max(count, Math.ceil(this.#scratch.capacity * 1.5)));
      this.#cache?.invalidate(); // the cached accelerations stayed behind in the old scratch
    }
    const topology = this.#topology.update(state);
    const columns = describeColumns(state, this.#plan.kernel.attributes);
    const ws = makeWorkspace(columns, this.#scratch, topology, this.#contacts);
    const options: AdvanceOptions = {
      forcesValid: this.#cache?.isValidFor(state, topology.version, start) ?? false,
      fuse: this.#fuse,
      from: start,
    };
    this.#cache?.invalidate(); // until this call completes: a failed step leaves no trusted accelerations
    if (this.#team) this.#team.run(this.#plan, ws, columns, this.#scratch, topology, steps, options);
    else advance(this.#plan, this.#forces, ws, 0, count, steps, SINGLE_THREAD, options);
    this.#cache?.remember(state, topology.version, start + steps);
    this.#step = start + steps;
  }

  read(): ParticleState {
    return this.#state;
  }

  /** Copies `state` into the live state (which keeps its identity) and drops cached accelerations. */
  write(state: ParticleState): void {
    if (state !== this.#state) this.#state.copyFrom(state);
    this.#cache?.invalidate();
  }

  /** Core's reference diagnostics, except that pairwiseGravity on the tree reports the tree's potential. */
  diagnostics(time?: number): Diagnostics {
    const s = this.#state;
    const gravityRules = this.#system.rules.flatMap((r, index) => (r.kind === 'pairwiseGravity' ? [index] : []));
    const tree = treePotentials(this.#plan.pairwise, gravityRules, s.px, s.py, s.pz, s.mass, s.count);
    const d = computeDiagnostics(s, this.#system, time ?? this.#step * this.#plan.dt, tree);
    if (this.#plan.collisions !== null) d.unresolvedContactSteps = this.#contacts.unresolvedSteps;
    return d;
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

  /** How the expression rules run ('js' generated, 'interpreter'), or null when the system has none. */
  get codegen(): CodegenMode | null {
    return this.#forces?.kernels.mode ?? null;
  }

  /** The generated JavaScript of the system's expression kernels (null without expression rules). */
  get generatedSource(): string | null {
    return this.#forces?.kernels.mode === 'js' ? this.#forces.source : null;
  }
}
