import {
  checkStepsPerCall,
  COLUMNS,
  compileKernelPlan,
  type BackendContext,
  type Diagnostics,
  type ParticleState,
  type SystemDefinition,
} from '@brokenrecord/core';
import { readNativeDiagnostics } from '@brokenrecord/native-common';
import { availableParallelism } from 'node:os';
import { loadAddon, type NativeContextHandle } from './native.js';
import { isaFromEnvironment, type Avx2BackendOptions } from './options.js';

/**
 * A simulation on the native backend. The kernels step the caller's Float32Array columns in
 * place (zero copy), so `read()` returns the live state. The columns are handed to the native
 * side once and again only when the state's views change (particles added or removed, storage
 * moved by `reserve`/`share`/`copyFrom`): that is checked at every call that touches them.
 */
export class Avx2Context implements BackendContext {
  readonly #state: ParticleState;
  readonly #native: NativeContextHandle;
  #passed: Float32Array[] | null = null;
  #disposed = false;
  readonly #collisions: boolean;

  constructor(system: SystemDefinition, state: ParticleState, options: Avx2BackendOptions) {
    const { NativeContext } = loadAddon();
    const env = process.env.BROKENRECORD_AVX2_FUSE;
    this.#state = state;
    const plan = compileKernelPlan(system, options.dt);
    this.#collisions = plan.collisions !== null;
    this.#native = new NativeContext(plan, {
      threads: options.threads ?? availableParallelism(),
      isa: options.isa ?? isaFromEnvironment(),
      fuse: options.fuse ?? env !== '0',
    });
  }

  /** Re-passes the columns when any view differs from the ones the native side holds. */
  #syncColumns(): void {
    const columns = COLUMNS.map((c) => this.#state.column(c));
    const passed = this.#passed;
    if (passed && columns.every((col, k) => col === passed[k])) return;
    this.#native.setColumns(...columns);
    this.#passed = columns;
  }

  #live(): void {
    if (this.#disposed) throw new Error('the simulation context has been disposed');
  }

  step(steps: number): void {
    this.#live();
    // Core checks this before any step() call; repeated here so no count reaches the addon's own RangeError.
    checkStepsPerCall(steps);
    if (steps === 0) return;
    this.#syncColumns();
    this.#native.step(steps);
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

  diagnostics(): Diagnostics {
    this.#live();
    this.#syncColumns();
    const d: Diagnostics = readNativeDiagnostics(this.#native.diagnostics());
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

  /** OpenMP threads stepping the state. */
  get threads(): number {
    this.#live();
    return this.#native.threads;
  }
}
