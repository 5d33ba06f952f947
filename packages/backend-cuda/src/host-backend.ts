import { hostRuleKinds } from './kernel-kinds.js';
import { type Backend, type BackendOptions, type ParticleState, type ProbeResult, type SystemDefinition } from '@brokenrecord/core';
import { CudaContext } from './context.js';
import { probeCudaHost } from './probe.js';

/**
 * The CUDA kernels' per-particle functions run in host loops (native/src/host): the device math,
 * tested on machines without a GPU. Slow by design and never chosen by `auto` (speed 0, and the
 * package does not register it); tests register it themselves.
 */
export const cudaHostBackend: Backend = {
  name: 'cuda-host',
  speed: 0,
  /** The presets, plus the expression kinds where a C++ compiler builds their generated code (probe features say which). */
  get rules() {
    return hostRuleKinds();
  },
  // pairwiseGravity on the Barnes–Hut tree: the host executor runs the device kernels' tree functions.
  capabilities: ['gravity:tree'],
  probe(): Promise<ProbeResult> {
    return probeCudaHost();
  },
  create(system: SystemDefinition, state: ParticleState, options: BackendOptions): CudaContext {
    return new CudaContext('cuda-host', 'host', system, state, options.dt);
  },
};
