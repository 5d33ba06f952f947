import { PRESET_RULE_KINDS, type Backend, type BackendOptions, type ParticleState, type SystemDefinition } from '@brokenrecord/core';
import { WebGpuContext } from './context.js';
import { probeWebGpu } from './probe.js';

/**
 * The WebGPU backend: WGSL compute kernels for every rule and both integrators, state resident in
 * GPU storage buffers. Runs in browsers (navigator.gpu) and in Node (the `webgpu` package, Dawn).
 */
export const webgpuBackend: Backend = {
  name: 'webgpu',
  speed: 50,
  rules: PRESET_RULE_KINDS,
  probe: probeWebGpu,
  create(system: SystemDefinition, state: ParticleState, options: BackendOptions): Promise<WebGpuContext> {
    return WebGpuContext.create(system, state, options);
  },
};
