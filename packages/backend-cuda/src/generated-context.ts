import type { KernelPlan } from '@brokenrecord/core';
import { compileGenerated, type GeneratedLayout } from '@brokenrecord/native-common/codegen';
import { generateCuda } from './codegen/emit-cuda.js';
import { hasExpressionTerms } from './generated-terms.js';
import { compileDeviceModule, findDeviceCompiler } from './codegen/compile-cuda.js';
import { loadAddon, type ExecutorKind, type NativeGenerated } from './native.js';

/** A context's generated terms: what the addon loads, and what termArrays() needs for each upload. */
export interface PreparedTerms {
  plan: KernelPlan;
  layout: GeneratedLayout;
  native: NativeGenerated;
}

/**
 * The CUDA source of the plan's expression terms, compiled for the executor: as C++ into a shared
 * object for the host executor (native-common's cache, the CPU addon's flags), into a module for the
 * device (compile-cuda.ts: NVRTC or nvcc, for device 0's architecture, which the executor runs on). Null when the plan has none (presets only). Throws GeneratedCompileError when the code does
 * not compile (a bug of the generator: the source is kept).
 */
export function prepareTerms(plan: KernelPlan, kind: ExecutorKind): PreparedTerms | null {
  if (!hasExpressionTerms(plan)) return null;
  const generated = generateCuda(plan);
  if (kind === 'host') {
    const compiled = compileGenerated(generated.source, { variant: 'scalar' });
    return { plan, layout: generated.layout, native: { library: compiled.path, kernels: generated.kernels } };
  }
  const addon = loadAddon();
  const device = addon.deviceReport().devices[0];
  if (!device) throw new Error('no CUDA device to compile the generated terms for');
  const compiler = findDeviceCompiler(addon);
  if ('reason' in compiler) throw new Error(compiler.reason);
  const module = compileDeviceModule(generated.source, `${device.major}${device.minor}`, compiler, addon);
  return { plan, layout: generated.layout, native: { image: module.image, kernels: generated.kernels } };
}
