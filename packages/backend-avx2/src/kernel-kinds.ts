import type { RuleKind } from '@brokenrecord/core';
import { forcesPath } from './generated/forces-path.js';

/**
 * The rule kinds this addon's native kernels implement (native/src/kernels and the kernel plan
 * reader, brokenrecord/plan_from_js.h): the presets.
 */
export const NATIVE_RULE_KINDS: readonly RuleKind[] = ['uniformGravity', 'pairwiseGravity', 'collisions', 'bounds', 'drag', 'contacts'];

/**
 * Rules written as expressions (and the periodic box they come with): native code generated for
 * the system, run by the step loop through a GeneratedForces (src/generated/forces-path.ts).
 */
export const EXPRESSION_RULE_KINDS: readonly RuleKind[] = ['pairForce', 'externalForce', 'bondForce', 'field', 'periodic'];

/**
 * What this backend runs here: the presets, plus the expression kinds when a path for them exists
 * on this machine (a working C++ compiler). Without one they are not listed, so `auto` passes this
 * backend over for such systems and asking for it by name says which kinds are missing.
 */
export function avx2RuleKinds(): readonly RuleKind[] {
  return forcesPath().path ? [...NATIVE_RULE_KINDS, ...EXPRESSION_RULE_KINDS] : NATIVE_RULE_KINDS;
}
