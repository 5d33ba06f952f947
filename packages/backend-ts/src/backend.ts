import {
  canGenerateCode,
  type Backend,
  type ParticleState,
  type ProbeResult,
  type RuleKind,
  type SystemDefinition,
} from '@brokenrecord/core';
import { hardwareThreads } from '#platform';
import { TsContext, type TsBackendOptions } from './context.js';

/**
 * The rule kinds this backend implements, and where. `rules` is derived from these keys: a kind
 * core adds is refused here (and skipped by `auto`) until a kernel for it is written and listed.
 */
export const KERNELS = {
  uniformGravity: 'kernels/forces.ts accelerations (g folded into a = g − k·v), kernels/fused.ts',
  drag: 'kernels/forces.ts accelerations (k folded into a = g − k·v), kernels/fused.ts',
  pairwiseGravity: 'kernels/pairwise-gravity.ts (all pairs), kernels/gravity-tree/ (Barnes–Hut: capability gravity:tree)',
  collisions: 'kernels/broadphase.ts, kernels/collisions.ts',
  bounds: 'kernels/bounds.ts, kernels/fused.ts',
  pairForce: 'codegen/js.ts pairGrid (cutoff, cell grid) and pairRows (all pairs), kernels/expression-forces.ts',
  bondForce: 'codegen/js.ts bond<k>, kernels/expression-forces.ts',
  externalForce: 'codegen/js.ts particle, kernels/expression-forces.ts',
  field: 'codegen/js.ts particle (position-only fields) and velocity (fields reading v)',
  contacts: 'kernels/contacts.ts (soft spheres, on the broadphase grid)',
  periodic: 'kernels/periodic.ts (wrap), kernels/pair-grid.ts and kernels/broadphase.ts (nearest image)',
} as const satisfies Partial<Record<RuleKind, string>>;

/**
 * The TypeScript backend: the reference every other backend is compared with, and the fallback
 * that runs everywhere. Single-threaded by default; `threads: n` (n ≥ 2, Node) adds worker threads.
 */
export const tsBackend: Backend = {
  name: 'ts',
  speed: 1,
  rules: Object.keys(KERNELS) as (keyof typeof KERNELS)[],
  /** kernels/gravity-tree/: pairwiseGravity's forces and potential by the Barnes–Hut tree. */
  capabilities: ['gravity:tree'],
  async probe(): Promise<ProbeResult> {
    const codegen = canGenerateCode() ? 'codegen:js' : 'codegen:interpreter';
    return { available: true, features: ['float32', `threads:${await hardwareThreads()}`, codegen] };
  },
  create(system: SystemDefinition, state: ParticleState, options: TsBackendOptions): Promise<TsContext> {
    return TsContext.create(system, state, options);
  },
};
