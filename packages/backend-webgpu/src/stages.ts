import { STAGE_BYTES, STAGE_SLOT_BYTES } from './bindings.js';
import { BufferUsage } from './gpu-constants.js';

/** A 32-byte stage record: each field written as u32 or f32 by its kernel's struct. */
export type StageFields = readonly { u32?: number; f32?: number }[];

/**
 * The per-dispatch uniforms of one simulation (bind group 1): a buffer of 256-byte slots, each
 * holding one stage struct, selected by dynamic offset. Slots are laid out once; only their
 * contents change (queue.writeBuffer, ordered before the next submission).
 */
export class StageSlots {
  readonly buffer: GPUBuffer;
  readonly bindGroup: GPUBindGroup;
  readonly #device: GPUDevice;
  readonly #offsets = new Map<string, number>();

  constructor(device: GPUDevice, layout: GPUBindGroupLayout, names: readonly string[]) {
    this.#device = device;
    names.forEach((name, k) => this.#offsets.set(name, k * STAGE_SLOT_BYTES));
    this.buffer = device.createBuffer({
      label: 'brokenrecord stages',
      size: Math.max(1, names.length) * STAGE_SLOT_BYTES,
      usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST,
    });
    this.bindGroup = device.createBindGroup({
      label: 'brokenrecord stages',
      layout,
      entries: [{ binding: 0, resource: { buffer: this.buffer, size: STAGE_BYTES } }],
    });
  }

  offset(name: string): number {
    const offset = this.#offsets.get(name);
    if (offset === undefined) throw new Error(`no stage slot '${name}'`);
    return offset;
  }

  write(name: string, fields: StageFields): void {
    const data = new ArrayBuffer(STAGE_BYTES);
    const u = new Uint32Array(data);
    const f = new Float32Array(data);
    fields.forEach((field, k) => {
      if (field.f32 !== undefined) f[k] = field.f32;
      else u[k] = field.u32 ?? 0;
    });
    this.#device.queue.writeBuffer(this.buffer, this.offset(name), data);
  }

  destroy(): void {
    this.buffer.destroy();
  }
}
