import { avx2RuleKinds } from './kernel-kinds.js';
import { type Backend, type ParticleState, type ProbeResult, type SystemDefinition } from '@brokenrecord/core';
import { Avx2Context } from './context.js';
import type { Avx2BackendOptions } from './options.js';
import { probeAvx2 } from './probe.js';

/**
 * The native CPU backend: AVX-512 or AVX2+FMA kernels (scalar where neither is usable) chosen at
 * run time, OpenMP threads (default: every available core), state stepped in place.
 */
export const avx2Backend: Backend = {
  name: 'avx2',
  speed: 10,
  /** The presets, and the expression kinds where this machine can run them (kernel-kinds.ts). */
  get rules() {
    return avx2RuleKinds();
  },
  // pairwiseGravity on the Barnes–Hut tree (native/src/kernels/gravity_tree_*.cpp).
  capabilities: ['gravity:tree'],
  probe(): Promise<ProbeResult> {
    return probeAvx2();
  },
  create(system: SystemDefinition, state: ParticleState, options: Avx2BackendOptions): Avx2Context {
    return new Avx2Context(system, state, options);
  },
};
