import { PRESET_RULE_KINDS, type Backend, type ParticleState, type ProbeResult, type SystemDefinition } from '@brokenrecord/core';
import { hardwareThreads } from '#platform';
import { TsContext, type TsBackendOptions } from './context.js';


/**
 * The TypeScript backend: the reference every other backend is compared with, and the fallback
 * that runs everywhere. Single-threaded by default; `threads: n` (n ≥ 2, Node) adds worker threads.
 */
export const tsBackend: Backend = {
  name: 'ts',
  speed: 1,
  rules: PRESET_RULE_KINDS,
  async probe(): Promise<ProbeResult> {
    return { available: true, features: ['float32', `threads:${await hardwareThreads()}`] };
  },
  create(system: SystemDefinition, state: ParticleState, options: TsBackendOptions): Promise<TsContext> {
    return TsContext.create(system, state, options);
  },
};
