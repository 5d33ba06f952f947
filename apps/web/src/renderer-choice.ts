import type { Simulation } from '@brokenrecord/core';
import { webgpuRenderSource } from '@brokenrecord/backend-webgpu';
import type { GpuParticleView } from './gpu-particle-view';
import type { ParticleView } from './particle-view';

/** The two ways the page can draw; the GPU one is made on first use (its canvas can then never be 2D). */
export interface Views {
  host: ParticleView;
  gpu(): GpuParticleView;
}

export type Renderer =
  { kind: 'webgpu'; view: GpuParticleView; description: string } | { kind: 'host'; view: ParticleView; description: string };

/**
 * WebGPU drawing straight from the simulation's buffers when the simulation runs on WebGPU (the
 * state is already on the GPU: reading it back every frame only to upload it again would be
 * waste); the 2D canvas from read() otherwise, or when the WebGPU canvas cannot be set up.
 */
export function chooseRenderer(simulation: Simulation, views: Views): Renderer {
  if (!webgpuRenderSource(simulation.context)) {
    return { kind: 'host', view: views.host, description: '2D canvas, from a host copy of the state each frame' };
  }
  try {
    return { kind: 'webgpu', view: views.gpu(), description: 'WebGPU, straight from the simulation buffers' };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return {
      kind: 'host',
      view: views.host,
      description: `2D canvas, from a host copy of the state each frame (WebGPU canvas unavailable: ${why})`,
    };
  }
}
