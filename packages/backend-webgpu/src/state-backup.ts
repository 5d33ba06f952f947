import type { GpuBuffers } from './buffers.js';
import { BufferUsage } from './gpu-constants.js';

/** The columns a step changes: px py pz (position buffer), then vx vy vz (velocity buffer). */
const STEPPED_COLUMNS = 6;

/**
 * A copy of the stepped columns (positions and velocities) kept on the GPU, so that core's
 * checkpoint before every step call and its rollback after a failed one are device-to-device
 * copies instead of a readback and an upload. Mass and radius are not copied: steps never change
 * them, and write() (the only thing that does) discards the checkpoint.
 *
 * The buffer is allocated on the first save and regrown when the state's buffers outgrow it; its
 * columns are `stride` floats apart, the state's capacity when it was saved.
 */
export class StateBackup {
  readonly #device: GPUDevice;
  #buffer: GPUBuffer | null = null;
  #capacity = 0;
  #stride = 0;
  #count = 0;

  constructor(device: GPUDevice) {
    this.#device = device;
  }

  /** Records the copy of the first `count` particles into the backup. */
  save(encoder: GPUCommandEncoder, state: GpuBuffers, count: number): void {
    if (state.capacity > this.#capacity) this.#grow(state.capacity);
    this.#stride = state.capacity;
    this.#count = count;
    for (let k = 0; k < STEPPED_COLUMNS; k++) {
      const [buffer, offset] = columnOf(state, k);
      encoder.copyBufferToBuffer(buffer, offset, this.#buffer!, k * this.#stride * 4, count * 4);
    }
  }

  /** Records the copy back of what save() saved. */
  restore(encoder: GPUCommandEncoder, state: GpuBuffers): void {
    if (this.#count === 0) return;
    for (let k = 0; k < STEPPED_COLUMNS; k++) {
      const [buffer, offset] = columnOf(state, k);
      encoder.copyBufferToBuffer(this.#buffer!, k * this.#stride * 4, buffer, offset, this.#count * 4);
    }
  }

  destroy(): void {
    this.#buffer?.destroy();
    this.#buffer = null;
    this.#capacity = 0;
  }

  #grow(capacity: number): void {
    this.#buffer?.destroy();
    this.#buffer = this.#device.createBuffer({
      label: 'brokenrecord checkpoint',
      size: STEPPED_COLUMNS * capacity * 4,
      usage: BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
    });
    this.#capacity = capacity;
  }
}

/** Column k of the stepped state: its buffer and byte offset (see kernels/common.ts for the packing). */
function columnOf(state: GpuBuffers, k: number): [GPUBuffer, number] {
  const buffer = k < 3 ? state.position : state.velocity;
  return [buffer, (k % 3) * state.capacity * 4];
}
