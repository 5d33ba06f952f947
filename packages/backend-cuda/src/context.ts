import {
  checkAttached,
  COLUMNS,
  compileKernelPlan,
  HostMirror,
  ParticleState,
  ValidationError,
  type BackendContext,
  type Diagnostics,
  type KernelPlan,
  type SystemDefinition,
} from '@brokenrecord/core';
import { readNativeDiagnostics } from '@brokenrecord/native-common';
import { deviceFailure, disposedError } from './errors.js';
import { prepareTerms, type PreparedTerms } from './generated-context.js';
import { copyTerms, sameTerms, termArrays, type TermArrays } from './generated-terms.js';
import { loadAddon, type ExecutorKind, type NativeContextHandle } from './native.js';

/**
 * A simulation whose state lives in the executor's memory (GPU memory for the device executor):
 * uploaded on create and write, stepped there for any number of steps per call, and copied back
 * into the host copy only by read().
 *
 * Core's checkpoint before every step call, its rollback and its divergence scan run in the
 * executor too (device-to-device copies, a reduction reading back one word), so stepping never
 * copies the state to the host. write() updates the host copy first, so it always holds what was
 * last written or read, even when the device can no longer take it.
 */
export class CudaContext implements BackendContext {
  readonly #backend: string;
  readonly #host: ParticleState;
  #native: NativeContextHandle | null;
  /**
   * Which state each copy holds, as versions: every step and write makes a new one, a rollback
   * returns to the checkpoint's. The host copy is stale when its version is not the current one.
   */
  #version = 0;
  #hostVersion = 0;
  #checkpointVersion: number | null = null;
  #nextVersion = 1;
  /** The device state is not the host copy (a failed upload or step): every call but write() fails. */
  #broken: Error | null = null;
  /** The host state as last uploaded or read back: tells user edits apart (core's HostMirror). */
  readonly #mirror = new HostMirror();
  /** The system's rules written as expressions, as compiled code; null for presets only. */
  readonly #terms: PreparedTerms | null;
  /** The attribute columns and bond tables as last uploaded (HostMirror's role for what the terms read). */
  #uploadedTerms: TermArrays | null = null;
  readonly #collisions: boolean;

  constructor(backend: string, kind: ExecutorKind, system: SystemDefinition, state: ParticleState, dt: number) {
    this.#backend = backend;
    // The caller's state is the host copy (as on webgpu): edits made to it between steps are
    // honoured like on the CPU backends, or rejected when the device holds newer steps.
    this.#host = state;
    const plan = kind === 'device' ? withoutGravityTree(compileKernelPlan(system, dt)) : compileKernelPlan(system, dt);
    // A generated source that does not compile is a bug: GeneratedCompileError (source path kept) goes up as it is.
    this.#terms = prepareTerms(plan, kind);
    this.#collisions = plan.collisions !== null;
    try {
      this.#native = new (loadAddon().NativeContext)(plan, kind, this.#terms?.native);
    } catch (error) {
      throw deviceFailure(backend, 'could not create the context', error, state.count);
    }
    this.#upload();
    if (this.#broken) {
      const error = this.#broken;
      this.dispose();
      throw error;
    }
  }

  #live(): NativeContextHandle {
    if (!this.#native) throw disposedError(this.#backend);
    if (this.#broken) throw this.#broken;
    return this.#native;
  }

  #columns(): Float32Array[] {
    return COLUMNS.map((c) => this.#host.column(c));
  }

  #upload(): void {
    try {
      this.#native!.write(...this.#columns());
      if (this.#terms) {
        const arrays = termArrays(this.#terms.plan, this.#terms.layout, this.#host);
        this.#native!.writeTerms(arrays);
        this.#uploadedTerms = copyTerms(arrays);
      }
      this.#mirror.record(this.#host);
      this.#broken = null;
    } catch (error) {
      this.#broken = deviceFailure(this.#backend, 'uploading the state failed', error, this.#host.count);
    }
  }

  /**
   * Honours edits of the host state (values, add, remove) made since it was last uploaded or read
   * back: uploaded when the host was current, a ValidationError when steps had run since.
   */
  #syncHost(): void {
    const host = this.#host;
    checkAttached(host);
    const termsChanged = this.#terms !== null && !sameTerms(termArrays(this.#terms.plan, this.#terms.layout, host), this.#uploadedTerms);
    if (!termsChanged && !this.#mirror.changed(host)) return;
    if (this.#hostVersion !== this.#version) {
      throw new ValidationError(
        'state',
        `was changed while the ${this.#backend} device held newer steps (no read() since the last step): edit the state that read() returned after the last step`,
      );
    }
    this.write(host);
  }

  step(steps: number, from = 0): void {
    const native = this.#live();
    this.#syncHost();
    if (steps === 0) return;
    try {
      native.step(steps, from);
      this.#version = this.#nextVersion++;
    } catch (error) {
      // The device state is now unknown; the host copy still holds the last good read.
      this.#broken = deviceFailure(this.#backend, `stepping ${steps} steps failed`, error, this.#host.count);
      throw this.#broken;
    }
  }

  read(): ParticleState {
    const native = this.#live();
    this.#syncHost();
    if (this.#hostVersion !== this.#version) {
      try {
        native.read(...this.#columns());
        this.#mirror.recordMotion(this.#host);
      } catch (error) {
        this.#broken = deviceFailure(this.#backend, 'reading the state back failed', error, this.#host.count);
        throw this.#broken;
      }
      this.#hostVersion = this.#version;
    }
    return this.#host;
  }

  /** Replaces the state: the host copy always, then the device (see the class comment). */
  write(state: ParticleState): void {
    if (!this.#native) throw disposedError(this.#backend);
    if (state !== this.#host) this.#host.copyFrom(state);
    this.#version = this.#hostVersion = this.#nextVersion++;
    // The executor discards its checkpoint too (the count and masses may have changed).
    this.#checkpointVersion = null;
    this.#upload();
    if (this.#broken) throw this.#broken;
  }

  /** Saves positions and velocities in the executor's memory. */
  checkpoint(): void {
    const native = this.#live();
    this.#syncHost();
    try {
      native.checkpoint();
    } catch (error) {
      this.#broken = deviceFailure(this.#backend, 'saving a checkpoint failed', error, this.#host.count);
      throw this.#broken;
    }
    this.#checkpointVersion = this.#version;
  }

  /**
   * Puts the checkpoint back. Tried even after a failure (as write() uploads even then): when the
   * executor can still copy, the state is known again and the context usable.
   */
  rollback(): void {
    if (!this.#native) throw disposedError(this.#backend);
    if (this.#checkpointVersion === null) throw new Error(`${this.#backend}: rollback() without a checkpoint since the last write()`);
    try {
      this.#native.rollback();
      this.#broken = null;
      this.#version = this.#checkpointVersion;
    } catch (error) {
      this.#broken = deviceFailure(this.#backend, 'restoring the checkpoint failed', error, this.#host.count);
      throw this.#broken;
    }
  }

  /** The first particle with a non-finite position or velocity, or -1, found in the executor. */
  firstNonFinite(): number {
    const native = this.#live();
    try {
      return native.firstNonFinite();
    } catch (error) {
      this.#broken = deviceFailure(this.#backend, 'the non-finite scan failed', error, this.#host.count);
      throw this.#broken;
    }
  }

  diagnostics(time = 0): Diagnostics {
    const native = this.#live();
    this.#syncHost();
    let d: Float64Array;
    let unresolved = 0;
    try {
      d = native.diagnostics(time);
      if (this.#collisions) unresolved = native.unresolvedContactSteps();
    } catch (error) {
      this.#broken = deviceFailure(this.#backend, 'diagnostics failed', error, this.#host.count);
      throw this.#broken;
    }
    const diagnostics: Diagnostics = readNativeDiagnostics(d);
    if (this.#collisions) diagnostics.unresolvedContactSteps = unresolved;
    return diagnostics;
  }

  /** Frees the device memory; safe to call twice. */
  dispose(): void {
    const native = this.#native;
    this.#native = null;
    native?.dispose();
  }
}

/**
 * The device executor's tree kernels (native/src/device/gravity_tree_kernels.cu) build with nvcc
 * but have not run on a GPU yet, so the `cuda` backend does not declare 'gravity:tree': core
 * refuses it for `method: 'tree'`, and `'auto'` runs all pairs there (docs/physics.md).
 */
function withoutGravityTree(plan: KernelPlan): KernelPlan {
  return {
    ...plan,
    pairwise: plan.pairwise.map((term) => ({ ...term, method: 'direct' as const })),
    potentials: plan.potentials.map((p) => (p.kind === 'pairwise' ? { ...p, method: 'direct' as const } : p)),
  };
}
