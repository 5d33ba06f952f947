import type { ParticleState } from '@brokenrecord/core';
import type { RenderSource } from '@brokenrecord/backend-webgpu';
import { PARTICLE_SPRITES_WGSL, UNIFORM_BYTES } from './particle-sprites-shader';
import { fitWindow, minDotPixels, type ViewWindow } from './view-window';

// WebGPU's flag values, spelled out: the GPUBufferUsage/GPUShaderStage globals are not in every
// environment this module is type-checked or bundled for.
const UNIFORM = 0x40;
const COPY_DST = 0x08;
const STORAGE = 0x80;
const VERTEX = 0x1;

const BACKGROUND = { r: 5 / 255, g: 7 / 255, b: 13 / 255, a: 1 };

/** What one device needs, made once per device (a reset may hand the simulation another). */
interface DeviceResources {
  device: GPUDevice;
  pipeline: GPURenderPipeline;
  uniforms: GPUBuffer;
}

/**
 * Draws particles with a WebGPU render pipeline straight from the simulation's storage buffers,
 * on the simulation's own GPUDevice: nothing is read back to the host, so drawing costs no
 * transfer however many particles there are. Same picture as ParticleView (from above, heavy
 * bodies gold) minus the trails, which would need an extra texture to fade.
 */
export class GpuParticleView {
  readonly #context: GPUCanvasContext;
  readonly #format: GPUTextureFormat;
  #window: ViewWindow = { cx: 0, cy: 0, half: 1, heavy: Infinity };
  #resources: DeviceResources | null = null;
  /** The bind group, remade when the simulation's buffers are (a restore can reallocate them). */
  #bound: { positions: GPUBuffer; properties: GPUBuffer; group: GPUBindGroup } | null = null;

  constructor(readonly canvas: HTMLCanvasElement) {
    const context = canvas.getContext('webgpu');
    if (!context || !navigator.gpu) throw new Error('this browser gives no WebGPU canvas context');
    this.#context = context;
    this.#format = navigator.gpu.getPreferredCanvasFormat();
  }

  /** Fits the window to the initial state (read once at load, not per frame). */
  fit(state: ParticleState): void {
    this.#window = fitWindow(state);
  }

  /** Records and submits one frame; rejects if the GPU reports a validation error for it. */
  async draw(source: RenderSource): Promise<void> {
    const { device } = source;
    const { pipeline, uniforms } = this.#use(device);
    // A scope of our own: an error here must not count as the simulation's (the backend treats an
    // uncaptured error on its device as a failure of the run).
    device.pushErrorScope('validation');
    device.queue.writeBuffer(uniforms, 0, this.#uniforms(source));
    const encoder = device.createCommandEncoder({ label: 'particle sprites' });
    const pass = encoder.beginRenderPass({
      colorAttachments: [
        { view: this.#context.getCurrentTexture().createView(), clearValue: BACKGROUND, loadOp: 'clear', storeOp: 'store' },
      ],
    });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.#bindGroup(source, pipeline, uniforms));
    pass.draw(6, source.count);
    pass.end();
    device.queue.submit([encoder.finish()]);
    const error = await device.popErrorScope();
    if (error) throw new Error(`drawing from the simulation buffers failed: ${error.message}`);
  }

  #use(device: GPUDevice): DeviceResources {
    if (this.#resources?.device === device) return this.#resources;
    this.#context.configure({ device, format: this.#format, alphaMode: 'opaque' });
    const module = device.createShaderModule({ label: 'particle sprites', code: PARTICLE_SPRITES_WGSL });
    const layout = device.createBindGroupLayout({
      label: 'particle sprites',
      entries: [
        { binding: 0, visibility: VERTEX, buffer: { type: 'uniform' } },
        // Read-only: the renderer looks at the simulation's state and never changes it.
        { binding: 1, visibility: VERTEX, buffer: { type: 'read-only-storage' } },
        { binding: 2, visibility: VERTEX, buffer: { type: 'read-only-storage' } },
      ],
    });
    const pipeline = device.createRenderPipeline({
      label: 'particle sprites',
      layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      vertex: { module, entryPoint: 'vs' },
      fragment: { module, entryPoint: 'fs', targets: [{ format: this.#format }] },
      primitive: { topology: 'triangle-list' },
    });
    const uniforms = device.createBuffer({ label: 'particle sprites view', size: UNIFORM_BYTES, usage: UNIFORM | COPY_DST });
    this.#resources?.uniforms.destroy();
    this.#resources = { device, pipeline, uniforms };
    this.#bound = null;
    return this.#resources;
  }

  #bindGroup(source: RenderSource, pipeline: GPURenderPipeline, uniforms: GPUBuffer): GPUBindGroup {
    const positions = source.positions.buffer;
    const properties = source.properties.buffer;
    if (this.#bound?.positions === positions && this.#bound.properties === properties) return this.#bound.group;
    if (!(positions.usage & STORAGE) || !(properties.usage & STORAGE)) {
      throw new Error('the simulation buffers are not bindable as storage');
    }
    const group = source.device.createBindGroup({
      label: 'particle sprites',
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: uniforms } },
        { binding: 1, resource: { buffer: positions } },
        { binding: 2, resource: { buffer: properties } },
      ],
    });
    this.#bound = { positions, properties, group };
    return group;
  }

  #uniforms(source: RenderSource): ArrayBuffer {
    const { width, height } = this.canvas;
    const { cx, cy, half, heavy } = this.#window;
    const data = new ArrayBuffer(UNIFORM_BYTES);
    const f = new Float32Array(data);
    const u = new Uint32Array(data);
    f.set([cx, cy, 2 / width, 2 / height, Math.min(width, height) / (2 * half), heavy, minDotPixels(source.count)]);
    u.set(
      [
        source.positions.xOffsetFloats,
        source.positions.yOffsetFloats,
        source.properties.massOffsetFloats,
        source.properties.radiusOffsetFloats,
      ],
      7,
    );
    return data;
  }
}
