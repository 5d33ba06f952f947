import type { RuleKind } from '@brokenrecord/core';

/**
 * The rule kinds this addon's native kernels implement (native/src/kernels and the kernel plan
 * reader, brokenrecord/plan_from_js.h): the presets. Rules written as expressions are not here
 * until the addon generates code for them, so `auto` passes this backend over for such systems
 * and asking for it by name says which kinds are missing.
 */
export const NATIVE_RULE_KINDS: readonly RuleKind[] = ['uniformGravity', 'pairwiseGravity', 'collisions', 'bounds', 'drag', 'contacts'];
