import {
  COLUMNS,
  ParticleState,
  type BackendContext,
  type Diagnostics,
  type SystemDefinition,
} from '@brokenrecord/core';
import { deviceFailure, disposedError } from './errors.js';
import { loadAddon, type ExecutorKind, type NativeContextHandle } from './native.js';
import { compileNativePlan } from './plan.js';

/**
 * A simulation whose state lives in the executor's memory (GPU memory for the device executor):
 * uploaded on create and write, stepped there for any number of steps per call, and copied back
 * into the host copy only by read() and diagnostics().
 *
 * The host copy is the last good state: when a step fails on the device, core rolls back by
 * calling write() with its backup, and write() updates the host copy first, so read() returns
 * the backup even when the device can no longer take it.
 */
export class CudaContext implements BackendContext {
  readonly #backend: string;
  readonly #host: ParticleState;
  #native: NativeContextHandle | null;
  /** The device holds steps the host copy has not seen. */
  #stale = false;
  /** The device state is not the host copy (a failed upload or step): every call but write() fails. */
  #broken: Error | null = null;

  constructor(backend: string, kind: ExecutorKind, system: SystemDefinition, state: ParticleState, dt: number) {
    this.#backend = backend;
    this.#host = state.clone({ shared: false });
    try {
      this.#native = new (loadAddon().NativeContext)(compileNativePlan(system, dt), kind);
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
      this.#broken = null;
      this.#stale = false;
    } catch (error) {
      this.#broken = deviceFailure(this.#backend, 'uploading the state failed', error, this.#host.count);
    }
  }

  step(steps: number): void {
    const native = this.#live();
    if (steps === 0) return;
    try {
      native.step(steps);
      this.#stale = true;
    } catch (error) {
      // The device state is now unknown; the host copy still holds the last good read.
      this.#broken = deviceFailure(this.#backend, `stepping ${steps} steps failed`, error, this.#host.count);
      throw this.#broken;
    }
  }

  read(): ParticleState {
    const native = this.#live();
    if (this.#stale) {
      try {
        native.read(...this.#columns());
      } catch (error) {
        this.#broken = deviceFailure(this.#backend, 'reading the state back failed', error, this.#host.count);
        throw this.#broken;
      }
      this.#stale = false;
    }
    return this.#host;
  }

  /** Replaces the state: the host copy always, then the device (see the class comment). */
  write(state: ParticleState): void {
    if (!this.#native) throw disposedError(this.#backend);
    if (state !== this.#host) this.#host.copyFrom(state);
    this.#upload();
    if (this.#broken) throw this.#broken;
  }

  diagnostics(): Diagnostics {
    const native = this.#live();
    let d: Float64Array;
    try {
      d = native.diagnostics();
    } catch (error) {
      this.#broken = deviceFailure(this.#backend, 'diagnostics failed', error, this.#host.count);
      throw this.#broken;
    }
    const mass = d[11];
    const center = mass > 0 ? [d[8] / mass, d[9] / mass, d[10] / mass] : [0, 0, 0];
    return {
      kinetic: d[0],
      potential: d[1],
      total: d[0] + d[1],
      momentum: [d[2], d[3], d[4]],
      angularMomentum: [d[5], d[6], d[7]],
      centerOfMass: [center[0], center[1], center[2]],
      mass,
    };
  }

  /** Frees the device memory; safe to call twice. */
  dispose(): void {
    const native = this.#native;
    this.#native = null;
    native?.dispose();
  }
}
