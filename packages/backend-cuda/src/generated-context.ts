import type { KernelPlan } from '@brokenrecord/core';
import { compileGenerated, type GeneratedLayout } from '@brokenrecord/native-common/codegen';
import { generateCuda } from './codegen/emit-cuda.js';
import { hasExpressionTerms } from './generated-terms.js';
import type { ExecutorKind, NativeGenerated } from './native.js';

/** A context's generated terms: what the addon loads, and what termArrays() needs for each upload. */
export interface PreparedTerms {
  plan: KernelPlan;
  layout: GeneratedLayout;
  native: NativeGenerated;
}

/**
 * The CUDA source of the plan's expression terms, compiled for the executor: as C++ into a shared
 * object for the host executor (native-common's cache, the CPU addon's flags), into a module for the
 * device. Null when the plan has none (presets only). Throws GeneratedCompileError when the code does
 * not compile (a bug of the generator: the source is kept).
 */
export function prepareTerms(plan: KernelPlan, kind: ExecutorKind): PreparedTerms | null {
  if (!hasExpressionTerms(plan)) return null;
  const generated = generateCuda(plan);
  if (kind === 'host') {
    const compiled = compileGenerated(generated.source, { variant: 'scalar' });
    return { plan, layout: generated.layout, native: { library: compiled.path, kernels: generated.kernels } };
  }
  throw new Error('the device executor does not run generated terms yet');
}
