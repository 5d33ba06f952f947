import {
  checkAttached,
  computeDiagnostics,
  firstNonFinite,
  HostMirror,
  ValidationError,
  type BackendContext,
  type BackendOptions,
  type Diagnostics,
  type ParticleState,
  type SystemDefinition,
} from '@brokenrecord/core';
import { GpuBuffers, largestBytesPerParticle, type BufferNeeds } from './buffers.js';
import { generateCustomModule } from './codegen/custom-module.js';
import { customKernelsFor, type CustomKernels } from './codegen/module-cache.js';
import { CustomData } from './custom-data.js';
import { acquireDevice, NoDeviceError, type DeviceLease } from './device-lease.js';
import { finishDiagnostics } from './diagnostics.js';
import { captureGpuErrors, disposedError, gpuFailure, tooManyParticles } from './errors.js';
import { BufferUsage, MapMode } from './gpu-constants.js';
import { GRID_SLOTS } from './kernels/grid-common.js';
import { DIAGNOSTIC_TERMS, DIAGNOSTICS_WORKGROUP } from './kernels/diagnostics.js';
import { NO_NON_FINITE, NON_FINITE_WORKGROUP } from './kernels/non-finite.js';
import { maxParticles } from './limits.js';
import { packParams } from './params.js';
import { kernelsFor, type Kernels } from './pipelines.js';
import { compileGpuPlan, scratchFloats, type GpuPlan } from './gpu-plan.js';
import type { RenderSource } from './render-source.js';
import { StageSlots } from './stages.js';
import { StateBackup } from './state-backup.js';
import { dispatch, dispatchesPerStep, encodePotentials, encodeSteps, stageNames, writeStages, type StepTarget } from './step-encoder.js';

/**
 * Dispatches recorded into one command buffer at most. A step() call becomes as few submissions
 * as this allows (usually one); the cap only keeps a single submission short enough for GPU
 * watchdogs on desktop drivers and its command buffer small.
 */
const DISPATCHES_PER_SUBMISSION = 4096;

/**
 * A simulation on the GPU. The state lives in GPU storage buffers from creation on; `step` records
 * its steps and waits only for them to finish (no readback), `read` copies positions and velocities
 * back into the ParticleState given to `create` (the caller's object, updated and returned), and
 * `diagnostics` reduces on the GPU.
 *
 * Core's checkpoint before every step call and its rollback are copies between GPU buffers
 * (`checkpoint`/`rollback`), and its divergence scan is a GPU kernel reading back one word
 * (`firstNonFinite`): stepping never copies the state to the host.
 *
 * Device loss: `step` rejects with BackendUnavailableError. The host copy is kept exactly as it was
 * last read back or written, so a rollback to a checkpoint taken while the host copy was current
 * (or a `write`) still lands there, and `read`/`diagnostics` keep answering from it; only a state
 * that existed solely on the lost device (steps taken since the last read) is gone, and then they
 * reject too.
 */
export class WebGpuContext implements BackendContext {
  readonly #lease: DeviceLease;
  readonly #kernels: Kernels;
  readonly #system: SystemDefinition;
  readonly #plan: GpuPlan;
  readonly #host: ParticleState;
  readonly #limit: number;
  #buffers: GpuBuffers;
  #stages: StageSlots;
  #count: number;
  /** Verlet: the pairwise scratch holds the accelerations of the current positions. */
  #pairwiseCached = false;
  /**
   * Which state each copy holds, as versions: every step and write makes a new one, a rollback
   * returns to the checkpoint's. Comparing them tells whether the host copy is the current state,
   * and whether it is the checkpoint (what a rollback after a device loss can still restore).
   */
  #version = 0;
  #hostVersion = 0;
  #checkpointVersion: number | null = null;
  #nextVersion = 1;
  #backup: StateBackup;
  #failure: string | null = null;
  #disposed = false;
  /** The host state as last uploaded or read back: tells user edits apart (core's HostMirror). */
  readonly #mirror = new HostMirror();
  /** Set by checkpoint() after it synced the host, so the step() that follows need not look again. */
  #synced = false;
  /** The generated kernels of the system's expression rules, and their data (null without such rules). */
  readonly #custom: CustomKernels | null;
  readonly #customData: CustomData | null;
  /** Steps taken, for a step() or diagnostics() called without the simulation's own count or time. */
  #clock = 0;
  /** Unresolved contact steps counted in buffers since replaced (the count lives in the grid buffer). */
  #unresolvedCarried = 0;

  private constructor(
    lease: DeviceLease,
    kernels: Kernels,
    custom: CustomKernels | null,
    system: SystemDefinition,
    plan: GpuPlan,
    host: ParticleState,
    buffers: GpuBuffers,
    limit: number,
  ) {
    this.#lease = lease;
    this.#custom = custom;
    this.#customData = custom ? new CustomData(lease.device, kernels.layouts, plan) : null;
    this.#kernels = kernels;
    this.#system = system;
    this.#plan = plan;
    this.#host = host;
    this.#limit = limit;
    this.#buffers = buffers;
    this.#count = host.count;
    this.#stages = this.#makeStages();
    this.#backup = new StateBackup(lease.device);
    lease.onLost((reason) => {
      this.#failure ??= reason;
    });
    lease.onUncapturedError((message) => {
      this.#failure ??= `WebGPU error outside any error scope: ${message}`;
    });
  }

  static async create(system: SystemDefinition, state: ParticleState, options: BackendOptions): Promise<WebGpuContext> {
    let lease: DeviceLease;
    try {
      lease = await acquireDevice();
    } catch (error) {
      throw gpuFailure('no device', error instanceof NoDeviceError ? error.message : `requesting a device failed: ${String(error)}`);
    }
    try {
      const kernels = await kernelsFor(lease.device);
      const plan = compileGpuPlan(system, options.dt);
      const generated = generateCustomModule(plan);
      const custom = generated ? await customKernelsFor(lease.device, kernels.layouts, generated) : null;
      const limit = maxParticles(lease.device.limits, largestBytesPerParticle(needsOf(plan)));
      const buffers = await allocate(lease.device, kernels, plan, state.count, limit);
      const context = new WebGpuContext(lease, kernels, custom, system, plan, state, buffers, limit);
      await context.#upload();
      return context;
    } catch (error) {
      lease.release();
      throw error instanceof Error && 'code' in error
        ? error
        : gpuFailure('setup failed', String(error instanceof Error ? error.message : error));
    }
  }

  /** The device the state lives on, for interop (e.g. drawing straight from the buffers). */
  get device(): GPUDevice {
    return this.#lease.device;
  }

  /**
   * The generated WGSL of this system's expression rules and whether its compiled module was
   * found in the device's shader cache (null for a system of presets only).
   */
  get generatedKernels(): { source: string; entries: string[]; reused: boolean } | null {
    const custom = this.#custom;
    return custom ? { source: custom.source, entries: Object.keys(custom.pipelines), reused: custom.reused } : null;
  }

  /** The storage buffers (positions are px | py | pz columns of `buffers.capacity` floats). */
  get buffers(): GpuBuffers {
    return this.#buffers;
  }

  /**
   * The device and the buffers positions (and masses, radii) live in, for drawing them without a
   * readback; see RenderSource for the layout. They hold the state after every completed step():
   * step() only resolves once the GPU has finished its work. Read-only by contract.
   */
  renderSource(): RenderSource {
    this.#checkUsable();
    const { capacity, position, properties } = this.#buffers;
    return {
      device: this.#lease.device,
      count: this.#count,
      capacity,
      positions: { buffer: position, xOffsetFloats: 0, yOffsetFloats: capacity, zOffsetFloats: 2 * capacity },
      properties: { buffer: properties, massOffsetFloats: 0, radiusOffsetFloats: capacity },
    };
  }

  async step(n: number, from?: number): Promise<void> {
    this.#checkUsable();
    if (!this.#synced) await this.#syncHost();
    this.#synced = false;
    const start = from ?? this.#clock;
    this.#clock = start + n;
    if (n === 0 || this.#count === 0) return;
    const device = this.#lease.device;
    // Until this call completes, a failed step leaves no trusted cached accelerations.
    let cached = this.#pairwiseCached;
    this.#pairwiseCached = false;
    const target = this.#target();
    const perStep = dispatchesPerStep(this.#plan, this.#buffers.grid, this.#buffers.tree?.plan ?? null);
    const chunk = this.#plan.perParticle ? n : Math.max(1, Math.floor(DISPATCHES_PER_SUBMISSION / perStep));
    const error = await captureGpuErrors(device, () => {
      // Step s of this call starts at t = (start + s)·dt: the clock counts the steps on the GPU.
      this.#customData?.writeClock(start);
      for (let done = 0; done < n; done += chunk) {
        const encoder = device.createCommandEncoder({ label: 'brokenrecord steps' });
        const pass = encoder.beginComputePass();
        cached = encodeSteps(pass, target, Math.min(chunk, n - done), cached);
        pass.end();
        device.queue.submit([encoder.finish()]);
      }
    });
    this.#version = this.#nextVersion++;
    if (error) throw this.#fail(`a step failed on the GPU: ${error.message}`);
    // Waiting for the work (not reading anything back) lets a device lost meanwhile reject this call.
    await device.queue.onSubmittedWorkDone();
    this.#checkUsable();
    this.#pairwiseCached = cached;
  }

  async read(): Promise<ParticleState> {
    if (this.#disposed) throw disposedError();
    await this.#syncHost();
    if (this.#count === 0 || (this.#hostCurrent && this.#failure === null)) return this.#host;
    if (this.#failure !== null) {
      if (this.#hostCurrent) return this.#host;
      throw this.#stateLost();
    }
    const device = this.#lease.device;
    const { capacity, position, velocity, stateStaging } = this.#buffers;
    const columnBytes = capacity * 4;
    const error = await captureGpuErrors(device, () => {
      const encoder = device.createCommandEncoder({ label: 'brokenrecord read' });
      encoder.copyBufferToBuffer(position, 0, stateStaging, 0, 3 * columnBytes);
      encoder.copyBufferToBuffer(velocity, 0, stateStaging, 3 * columnBytes, 3 * columnBytes);
      device.queue.submit([encoder.finish()]);
    });
    if (error) throw this.#fail(`reading the state back failed: ${error.message}`);
    const data = await this.#map(stateStaging, 6 * columnBytes);
    const host = this.#host;
    const columns = [host.px, host.py, host.pz, host.vx, host.vy, host.vz];
    const n = Math.min(this.#count, host.count);
    columns.forEach((column, k) => column.set(data.subarray(k * capacity, k * capacity + n)));
    stateStaging.unmap();
    this.#hostVersion = this.#version;
    this.#mirror.recordMotion(host);
    return host;
  }

  /** Replaces the state; on a lost device only the host copy is updated (core's rollback relies on it). */
  async write(state: ParticleState): Promise<void> {
    if (this.#disposed) throw disposedError();
    if (state !== this.#host) this.#host.copyFrom(state);
    checkAttached(this.#host);
    this.#count = this.#host.count;
    this.#pairwiseCached = false;
    this.#version = this.#hostVersion = this.#nextVersion++;
    // The checkpoint's count and masses may no longer match the state: a write starts afresh.
    this.#checkpointVersion = null;
    if (this.#failure !== null) {
      this.#mirror.record(this.#host); // the host copy is the state now
      return;
    }
    if (this.#count > this.#buffers.capacity) {
      const old = this.#buffers;
      if (this.#plan.collisions !== null) this.#unresolvedCarried = await this.#unresolvedContactSteps(old);
      this.#buffers = await allocate(this.#lease.device, this.#kernels, this.#plan, this.#count, this.#limit);
      old.destroy();
      this.#stages.destroy();
      this.#stages = this.#makeStages();
    }
    await this.#upload();
  }

  /** Saves positions and velocities into GPU backup buffers (no readback). */
  async checkpoint(): Promise<void> {
    if (this.#disposed) throw disposedError();
    await this.#syncHost();
    this.#synced = true;
    if (this.#failure === null && this.#count > 0) {
      const device = this.#lease.device;
      const error = await captureGpuErrors(device, () => {
        const encoder = device.createCommandEncoder({ label: 'brokenrecord checkpoint' });
        this.#backup.save(encoder, this.#buffers, this.#count);
        device.queue.submit([encoder.finish()]);
      });
      if (error) throw this.#fail(`saving a checkpoint failed: ${error.message}`);
    } else if (this.#failure !== null && !this.#hostCurrent) {
      throw this.#stateLost();
    }
    // On a lost device the checkpoint is the host copy, which is current here.
    this.#checkpointVersion = this.#version;
  }

  /**
   * Puts the checkpoint back on the GPU. On a lost device (or one lost by this copy) it only
   * records that the state is the checkpoint again: the host copy has it if it was current when
   * the checkpoint was taken, else it is gone and read() says so. It does not throw for a GPU
   * failure, so that core rethrows the error that made it roll back.
   */
  async rollback(): Promise<void> {
    if (this.#disposed) throw disposedError();
    if (this.#checkpointVersion === null) throw new Error('webgpu: rollback() without a checkpoint since the last write()');
    // The cached accelerations belong to positions the rollback discards (as after a write).
    this.#pairwiseCached = false;
    if (this.#failure === null && this.#count > 0) {
      const device = this.#lease.device;
      const error = await captureGpuErrors(device, () => {
        const encoder = device.createCommandEncoder({ label: 'brokenrecord rollback' });
        this.#backup.restore(encoder, this.#buffers);
        device.queue.submit([encoder.finish()]);
      });
      if (error) this.#fail(`restoring a checkpoint failed: ${error.message}`);
    }
    this.#version = this.#checkpointVersion;
  }

  /** The first particle with a non-finite position or velocity, or −1: a GPU scan reading back one word. */
  async firstNonFinite(): Promise<number> {
    if (this.#disposed) throw disposedError();
    if (this.#count === 0) return -1;
    if (this.#failure !== null) {
      if (this.#hostCurrent) return firstNonFinite(this.#host);
      throw this.#stateLost();
    }
    const device = this.#lease.device;
    const target = this.#target();
    const { partials, partialsStaging } = this.#buffers;
    const error = await captureGpuErrors(device, () => {
      device.queue.writeBuffer(partials, 0, new Uint32Array([NO_NON_FINITE]));
      const encoder = device.createCommandEncoder({ label: 'brokenrecord non-finite scan' });
      const pass = encoder.beginComputePass();
      pass.setBindGroup(0, this.#buffers.bindGroup);
      dispatch(pass, target, 'firstNonFinite', this.#count, NON_FINITE_WORKGROUP);
      pass.end();
      encoder.copyBufferToBuffer(partials, 0, partialsStaging, 0, 4);
      device.queue.submit([encoder.finish()]);
    });
    if (error) throw this.#fail(`the non-finite scan failed on the GPU: ${error.message}`);
    const data = await this.#map(partialsStaging, 4);
    const first = new Uint32Array(data.buffer, data.byteOffset, 1)[0];
    partialsStaging.unmap();
    return first === NO_NON_FINITE ? -1 : first;
  }

  async diagnostics(time?: number): Promise<Diagnostics> {
    if (this.#disposed) throw disposedError();
    await this.#syncHost();
    const now = time ?? this.#clock * this.#plan.dt;
    if (this.#count === 0) return computeDiagnostics(this.#host, this.#system, now);
    if (this.#failure !== null) {
      if (this.#hostCurrent) return computeDiagnostics(this.#host, this.#system, now);
      throw this.#stateLost();
    }
    const device = this.#lease.device;
    const target = this.#target();
    const rows = Math.ceil(this.#count / DIAGNOSTICS_WORKGROUP);
    const bytes = rows * DIAGNOSTIC_TERMS.length * 4;
    const { partials, partialsStaging } = this.#buffers;
    const error = await captureGpuErrors(device, () => {
      const encoder = device.createCommandEncoder({ label: 'brokenrecord diagnostics' });
      this.#customData?.writeFixedTime(now);
      const pass = encoder.beginComputePass();
      encodePotentials(pass, target);
      dispatch(pass, target, 'reduceDiagnostics', this.#count, DIAGNOSTICS_WORKGROUP);
      pass.end();
      encoder.copyBufferToBuffer(partials, 0, partialsStaging, 0, bytes);
      device.queue.submit([encoder.finish()]);
    });
    if (error) throw this.#fail(`diagnostics failed on the GPU: ${error.message}`);
    const data = await this.#map(partialsStaging, bytes);
    const result = finishDiagnostics(data, rows, this.#plan);
    partialsStaging.unmap();
    if (this.#plan.collisions !== null) result.unresolvedContactSteps = await this.#unresolvedContactSteps(this.#buffers);
    return result;
  }

  /** Steps whose collisions reached the sweep limit (kernels/collisions.ts): one word read back. */
  async #unresolvedContactSteps(buffers: GpuBuffers): Promise<number> {
    const device = this.#lease.device;
    const staging = device.createBuffer({
      label: 'brokenrecord contact report',
      size: 4,
      usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
    });
    try {
      const error = await captureGpuErrors(device, () => {
        const encoder = device.createCommandEncoder({ label: 'brokenrecord contact report' });
        encoder.copyBufferToBuffer(buffers.gridInfo, 4 * GRID_SLOTS.UNRESOLVED, staging, 0, 4);
        device.queue.submit([encoder.finish()]);
      });
      if (error) throw this.#fail(`reading the contact report failed on the GPU: ${error.message}`);
      const data = await this.#map(staging, 4);
      const steps = new Uint32Array(data.buffer, data.byteOffset, 1)[0];
      staging.unmap();
      return this.#unresolvedCarried + steps;
    } finally {
      staging.destroy();
    }
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#buffers.destroy();
    this.#stages.destroy();
    this.#backup.destroy();
    this.#customData?.destroy();
    this.#lease.release();
  }

  /**
   * Honours edits of the host state (values, add, remove) made since it was last uploaded or read
   * back: uploaded when the host was current, a ValidationError when steps had run on the GPU
   * since (core's HostMirror explains why). A detached column is a ValidationError naming it.
   */
  async #syncHost(): Promise<void> {
    const host = this.#host;
    checkAttached(host);
    if (!this.#mirror.changed(host)) {
      // Attributes and bonds the expression rules read: steps never change them, so an edit is
      // uploaded even while the GPU holds newer positions (custom-data.ts).
      if (this.#customData?.changed(host)) await this.#uploadCustom();
      return;
    }
    if (!this.#hostCurrent) {
      throw new ValidationError(
        'state',
        'was changed while the GPU held newer steps (no read() since the last step): on webgpu, edit the state that read() returned after the last step',
      );
    }
    // Uploaded as it is, valid or not, so read() and diagnostics() show what the user wrote, as on
    // CPU backends; core rejects a step from an invalid state before it reaches the GPU.
    await this.write(host);
  }

  /** The host copy holds the current state (after read/write, or a rollback to such a state). */
  get #hostCurrent(): boolean {
    return this.#hostVersion === this.#version;
  }

  #stateLost(): Error {
    return gpuFailure('state lost', `${this.#failure}; the steps since the last read were only on the device`);
  }

  #target(): StepTarget {
    return {
      plan: this.#plan,
      count: this.#count,
      kernels: this.#kernels,
      buffers: this.#buffers,
      stages: this.#stages,
      custom: this.#custom,
      customGroup: this.#customData?.bindGroup(this.#buffers) ?? null,
    };
  }

  #makeStages(): StageSlots {
    const grid = this.#buffers.grid;
    const stages = new StageSlots(
      this.#lease.device,
      this.#kernels.layouts.stage,
      stageNames(this.#plan, grid, this.#buffers.tree?.plan ?? null),
    );
    writeStages(stages, this.#plan, grid, this.#buffers.tree?.plan ?? null);
    return stages;
  }

  /** Uploads every column and the parameters for the current count. */
  async #upload(): Promise<void> {
    const device = this.#lease.device;
    const host = this.#host;
    const b = this.#buffers;
    const columnBytes = b.capacity * 4;
    const error = await captureGpuErrors(device, () => {
      const grid = b.grid;
      const sizes = { count: this.#count, capacity: b.capacity, cellCapacity: grid.cellCapacity, cellEntries: grid.cellEntries };
      device.queue.writeBuffer(b.params, 0, packParams(this.#plan, sizes));
      if (this.#count === 0) return;
      const write = (buffer: GPUBuffer, column: number, data: Float32Array) =>
        device.queue.writeBuffer(buffer, column * columnBytes, data.buffer, data.byteOffset, data.byteLength);
      write(b.position, 0, host.px);
      write(b.position, 1, host.py);
      write(b.position, 2, host.pz);
      write(b.velocity, 0, host.vx);
      write(b.velocity, 1, host.vy);
      write(b.velocity, 2, host.vz);
      write(b.properties, 0, host.mass);
      write(b.properties, 1, host.radius);
      this.#customData?.upload(host, b);
    });
    if (error) throw this.#fail(`uploading the state failed: ${error.message}`);
    this.#mirror.record(host);
  }

  /** Uploads the attribute columns and bond tables the expression rules read (custom-data.ts). */
  async #uploadCustom(): Promise<void> {
    // On a lost device the host copy is all there is, and it already holds the edit.
    if (this.#failure !== null) return;
    const error = await captureGpuErrors(this.#lease.device, () => this.#customData!.upload(this.#host, this.#buffers));
    if (error) throw this.#fail(`uploading attributes and bonds failed: ${error.message}`);
    // The cached accelerations were computed with the old values.
    this.#pairwiseCached = false;
  }

  /** Maps `buffer` for reading; a failure (device lost meanwhile) is a typed error. */
  async #map(buffer: GPUBuffer, bytes: number): Promise<Float32Array> {
    try {
      await buffer.mapAsync(MapMode.READ, 0, bytes);
    } catch (error) {
      throw this.#fail(`mapping a readback buffer failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return new Float32Array(buffer.getMappedRange(0, bytes));
  }

  #checkUsable(): void {
    if (this.#disposed) throw disposedError();
    if (this.#failure !== null) throw gpuFailure('device unusable', this.#failure);
  }

  #fail(reason: string): Error {
    this.#failure ??= reason;
    return gpuFailure('GPU failure', this.#failure);
  }
}

function needsOf(plan: GpuPlan): BufferNeeds {
  const floats = scratchFloats(plan);
  return { scratch: floats > 0, grid: plan.grid, scratchFloats: floats, attributes: plan.attributes.length, tree: plan.gravityTree };
}

/** Buffers for `count` particles, with out-of-memory reported as too many particles. */
async function allocate(device: GPUDevice, kernels: Kernels, plan: GpuPlan, count: number, limit: number): Promise<GpuBuffers> {
  if (count > limit) throw tooManyParticles(count, limit, 'the largest storage buffer binding');
  const needs = needsOf(plan);
  let buffers: GpuBuffers | null = null;
  const error = await captureGpuErrors(device, () => {
    buffers = new GpuBuffers(device, kernels.layouts, Math.max(count, 1), needs);
  });
  if (error) {
    (buffers as GpuBuffers | null)?.destroy();
    if (error.constructor?.name === 'GPUOutOfMemoryError' || /memory/i.test(error.message)) {
      throw tooManyParticles(count, limit, error.message);
    }
    throw gpuFailure('allocating buffers failed', error.message);
  }
  return buffers!;
}
