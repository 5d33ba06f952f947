import { type Backend, type BackendOptions, type ParticleState, type SystemDefinition } from '@brokenrecord/core';
import { WebGpuContext } from './context.js';
import { WEBGPU_RULE_KINDS } from './kernel-kinds.js';
import { probeWebGpu } from './probe.js';

/**
 * The WebGPU backend: WGSL compute kernels for every rule and both integrators (hand-written for
 * the presets, generated per system for the rules written as expressions), state resident in GPU
 * storage buffers. Runs in browsers (navigator.gpu) and in Node (the `webgpu` package, Dawn).
 */
export const webgpuBackend: Backend = {
  name: 'webgpu',
  speed: 50,
  rules: WEBGPU_RULE_KINDS,
  // pairwiseGravity on the Barnes–Hut tree of kernels/tree-*.ts (tree-encoder.ts).
  capabilities: ['gravity:tree'],
  probe: probeWebGpu,
  create(system: SystemDefinition, state: ParticleState, options: BackendOptions): Promise<WebGpuContext> {
    return WebGpuContext.create(system, state, options);
  },
};
