import { PRESET_RULE_KINDS, type Backend, type ParticleState, type ProbeResult, type SystemDefinition } from '@brokenrecord/core';
import { TsContext, type TsBackendOptions } from './context.js';

/** Threads this machine offers (1 where it cannot tell, e.g. in a browser without the hint). */
async function hardwareThreads(): Promise<number> {
  if (typeof process !== 'undefined' && process.versions?.node) {
    const os = await import('node:os');
    return os.availableParallelism?.() ?? os.cpus().length;
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

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
