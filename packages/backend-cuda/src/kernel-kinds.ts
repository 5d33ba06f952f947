import type { RuleKind } from '@brokenrecord/core';
import { compilerVersion, findCompiler } from '@brokenrecord/native-common/codegen';
import { findDeviceCompiler } from './codegen/compile-cuda.js';
import { loadedAddon } from './native.js';

/**
 * The rule kinds this addon's hand-written kernels implement (native/src/physics, native/src/device
 * and the kernel plan reader, brokenrecord/plan_from_js.h): the presets.
 */
export const NATIVE_RULE_KINDS: readonly RuleKind[] = ['uniformGravity', 'pairwiseGravity', 'collisions', 'bounds', 'drag', 'contacts'];

/**
 * The rules written as expressions that run as CUDA generated for the system (src/codegen/emit-cuda.ts),
 * where that code can be compiled. `periodic` is not among them although the generated pair and bond
 * terms take the nearest image: the contact grid and the drift have no periodic box yet, so a system
 * with a box is refused ("does not implement periodic") rather than run without one.
 */
export const GENERATED_RULE_KINDS: readonly RuleKind[] = ['pairForce', 'externalForce', 'bondForce', 'field'];

/**
 * Why the host executor cannot run generated terms on this machine (its host variant is compiled as
 * C++ at run time), or null when it can.
 */
export function hostGeneratedUnavailable(env: NodeJS.ProcessEnv = process.env): string | null {
  if (typeof process === 'undefined' || process.platform !== 'linux') return 'generated terms are loaded with dlopen on Linux only';
  const compiler = findCompiler(env);
  return compilerVersion(compiler) === null
    ? `rules written as expressions need a C++ compiler to compile their generated code, and '${compiler}' (CXX, else c++) cannot be run`
    : null;
}

/** The host executor's kinds: the presets, and the expression kinds where their code compiles. */
export function hostRuleKinds(): readonly RuleKind[] {
  return hostGeneratedUnavailable() === null ? [...NATIVE_RULE_KINDS, ...GENERATED_RULE_KINDS] : NATIVE_RULE_KINDS;
}

/**
 * Why the device executor cannot run generated terms here (no NVRTC and no nvcc to compile their
 * module), or null when it can. Before the probe has loaded the addon, NVRTC is not known: only nvcc counts.
 */
export function deviceGeneratedUnavailable(): string | null {
  const compiler = findDeviceCompiler(loadedAddon());
  return 'reason' in compiler ? compiler.reason : null;
}

/** The device executor's kinds: the presets, and the expression kinds where their module compiles. */
export function deviceRuleKinds(): readonly RuleKind[] {
  return deviceGeneratedUnavailable() === null ? [...NATIVE_RULE_KINDS, ...GENERATED_RULE_KINDS] : NATIVE_RULE_KINDS;
}
