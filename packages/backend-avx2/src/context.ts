import {
  BackendError,
  BackendUnavailableError,
  checkStepsPerCall,
  COLUMNS,
  compileKernelPlan,
  type BackendContext,
  type Diagnostics,
  type KernelPlan,
  type ParticleState,
  type SystemDefinition,
} from '@brokenrecord/core';
import { readNativeDiagnostics } from '@brokenrecord/native-common';
import { availableParallelism } from 'node:os';
import { ExtrasTracker } from './generated/extras.js';
import { hasExpressionTerms, loadForces, termKinds, type LoadedForces } from './generated/forces-path.js';
import { loadAddon, type NativeAddon, type NativeContextHandle } from './native.js';
import { isaFromEnvironment, type Avx2BackendOptions, type Isa } from './options.js';

/**
 * A simulation on the native backend. The kernels step the caller's Float32Array columns in
 * place (zero copy), so `read()` returns the live state. The columns are handed to the native
 * side once and again only when the state's views change (particles added or removed, storage
 * moved by `reserve`/`share`/`copyFrom`): that is checked at every call that touches them.
 */
export class Avx2Context implements BackendContext {
  readonly #state: ParticleState;
  readonly #native: NativeContextHandle;
  readonly #plan: KernelPlan;
  /** The expression terms' generated code, when the system has any. */
  readonly #forces: LoadedForces | null = null;
  readonly #extras: ExtrasTracker | null = null;
  #passed: Float32Array[] | null = null;
  /** Where the next call starts when core does not say (contexts driven directly). */
  #step = 0;
  #disposed = false;
  readonly #collisions: boolean;

  constructor(system: SystemDefinition, state: ParticleState, options: Avx2BackendOptions) {
    const addon = loadAddon();
    const env = process.env.BROKENRECORD_AVX2_FUSE;
    this.#state = state;
    this.#plan = compileKernelPlan(system, options.dt);
    this.#collisions = this.#plan.collisions !== null;
    if (this.#plan.periodic && this.#plan.contacts) {
      // The soft-sphere contact grid has no periodic images: refused rather than missing the contacts through a face.
      const reason = 'soft-sphere contacts in a periodic box are not implemented (the contact grid has no periodic images)';
      throw new BackendUnavailableError(`backend 'avx2' cannot run this system`, [{ name: 'avx2', reason }]);
    }
    const isa = options.isa ?? isaFromEnvironment();
    if (hasExpressionTerms(this.#plan)) {
      try {
        this.#forces = loadForces(addon, this.#plan, isa || bestIsa(addon), options.threads ?? availableParallelism());
      } catch (e) {
        throw new BackendError('avx2', 'createSimulation (generated code for the expression rules)', e);
      }
      this.#extras = new ExtrasTracker(this.#forces.layout);
    }
    this.#native = new addon.NativeContext(this.#plan, {
      threads: options.threads ?? availableParallelism(),
      isa,
      fuse: options.fuse ?? env !== '0',
      ...(this.#forces ? { forces: this.#forces.handle, terms: termKinds(this.#plan) } : {}),
    });
  }

  /** Re-passes the columns when any view differs from the ones the native side holds, and the expression terms' extras. */
  #syncColumns(): void {
    const columns = COLUMNS.map((c) => this.#state.column(c));
    const passed = this.#passed;
    if (!passed || !columns.every((col, k) => col === passed[k])) {
      this.#native.setColumns(...columns);
      this.#passed = columns;
      this.#extras?.reset(); // the native side checks the extras against the columns' length again
    }
    const extras = this.#extras?.update(this.#state);
    if (extras) this.#native.setExtras(extras);
  }

  #live(): void {
    if (this.#disposed) throw new Error('the simulation context has been disposed');
  }

  step(steps: number, from?: number): void {
    this.#live();
    // Core checks this before any step() call; repeated here so no count reaches the addon's own RangeError.
    checkStepsPerCall(steps);
    const start = from ?? this.#step;
    if (steps === 0) return;
    this.#syncColumns();
    try {
      this.#native.step(steps, start);
    } catch (e) {
      if ((e as { code?: string }).code === 'GENERATED_FORCES_FAILED') throw new BackendError('avx2', 'step', e);
      throw e;
    }
    this.#step = start + steps;
  }

  read(): ParticleState {
    return this.#state;
  }

  /** Copies `state` into the live state (which keeps its identity) and drops cached forces. */
  write(state: ParticleState): void {
    this.#live();
    if (state !== this.#state) this.#state.copyFrom(state);
    this.#native.invalidate();
  }

  diagnostics(time?: number): Diagnostics {
    this.#live();
    this.#syncColumns();
    const d: Diagnostics = readNativeDiagnostics(this.#native.diagnostics(time ?? this.#step * this.#plan.dt));
    if (this.#collisions) d.unresolvedContactSteps = this.#native.unresolvedContactSteps;
    return d;
  }

  /** Core's divergence scan after every step call, natively (the state is in place: no checkpoint hooks needed). */
  firstNonFinite(): number {
    this.#live();
    this.#syncColumns();
    return this.#native.firstNonFinite();
  }

  /** Frees the native scratch memory; safe to call twice. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#passed = null;
    this.#native.dispose();
  }

  /** The instruction set the kernels run on (scalar, avx2 or avx512). */
  get isa(): string {
    this.#live();
    return this.#native.isa;
  }

  /** Whether steps run fused (every rule per-particle, fusion not turned off). */
  get fused(): boolean {
    this.#live();
    return this.#native.fused;
  }

  /** How the expression rules run ('compiled', 'interpreter'), or null without any. */
  get codegen(): LoadedForces['path'] | null {
    return this.#forces?.path ?? null;
  }

  /** Generation + compile (or cache lookup) and load times of the expression rules' code, ms. */
  get codegenTimes(): { compileMs: number; loadMs: number; cached: boolean } | null {
    const f = this.#forces;
    return f ? { compileMs: f.compileMs, loadMs: f.loadMs, cached: f.cached } : null;
  }

  /** OpenMP threads stepping the state. */
  get threads(): number {
    this.#live();
    return this.#native.threads;
  }
}

/** The instruction set the addon picks when none is asked for (the generated code is compiled for the same). */
function bestIsa(addon: NativeAddon): Isa {
  return addon.cpuFeatures().best as Isa;
}
