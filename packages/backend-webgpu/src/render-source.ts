import type { BackendContext } from '@brokenrecord/core';
import { WebGpuContext } from './context.js';

/**
 * What a renderer needs to draw particles straight from the simulation's GPU storage, without
 * reading the state back. Valid until the next `write()`/restore of the simulation (which may
 * reallocate the buffers) or its disposal: ask again every frame rather than keeping it.
 *
 * Layout: `positions` is a STORAGE buffer of f32 columns — x of particle i at float
 * `xOffsetFloats + i`, y at `yOffsetFloats + i`, z at `zOffsetFloats + i` (one column per
 * coordinate, `capacity` floats each; columns, not xyz triples, because that is what the step
 * kernels read fastest). `properties` holds mass then radius columns the same way.
 * Bind both as read-only storage; writing them would change the simulation behind its back.
 */
export interface RenderSource {
  device: GPUDevice;
  /** Particles in the state (entries past it, up to capacity, are unused). */
  count: number;
  /** Floats per column. */
  capacity: number;
  positions: { buffer: GPUBuffer; xOffsetFloats: number; yOffsetFloats: number; zOffsetFloats: number };
  properties: { buffer: GPUBuffer; massOffsetFloats: number; radiusOffsetFloats: number };
}

/**
 * The render source of a simulation's context when it runs on the webgpu backend (e.g.
 * `webgpuRenderSource(simulation.context)`), else null: the caller then draws from `read()`.
 */
export function webgpuRenderSource(context: BackendContext): RenderSource | null {
  return context instanceof WebGpuContext ? context.renderSource() : null;
}
