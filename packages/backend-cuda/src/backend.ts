import { deviceRuleKinds } from './kernel-kinds.js';
import { type Backend, type BackendOptions, type ParticleState, type ProbeResult, type SystemDefinition } from '@brokenrecord/core';
import { CudaContext } from './context.js';
import { probeCuda } from './probe.js';

/**
 * The CUDA backend: state resident in GPU memory, every step of a call launched from one native
 * call, copied back only on read() and diagnostics().
 */
export const cudaBackend: Backend = {
  name: 'cuda',
  speed: 100,
  /** The presets, plus the expression kinds where NVRTC or nvcc compiles their generated module (probe features say which). */
  get rules() {
    return deviceRuleKinds();
  },
  probe(): Promise<ProbeResult> {
    return probeCuda();
  },
  create(system: SystemDefinition, state: ParticleState, options: BackendOptions): CudaContext {
    return new CudaContext('cuda', 'device', system, state, options.dt);
  },
};
