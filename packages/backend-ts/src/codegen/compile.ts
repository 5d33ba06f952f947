import { canGenerateCode, type KernelPlan, type SystemDefinition } from '@brokenrecord/core';
import { interpretForces } from './interpret.js';
import { generateSource } from './js.js';
import type { ForceKernels } from './kernels.js';
import { forceSpec, type ForceSpec } from './spec.js';

export type CodegenMode = 'js' | 'interpreter';

/** A system's expression kernels, ready to run. */
export interface CompiledForces {
  spec: ForceSpec;
  kernels: ForceKernels;
  /** The generated JavaScript (also the cache key); kept for the interpreter too, as its key. */
  source: string;
}

/** What compiling cost: for tests (a cached system must not compile again) and the bench. */
export const codegenStats = {
  /** `new Function` calls that built kernels. */
  generated: 0,
  /** Interpreters built. */
  interpreted: 0,
  /** Kernels reused from the cache. */
  reused: 0,
};

/** Generated (or interpreted) kernels by source: equal systems defined twice share their code. */
const bySource = new Map<string, ForceKernels>();
const MAX_CACHED = 64;
/** Per system (rules are immutable), so a second simulation of it skips even the source. */
const bySystem = new WeakMap<SystemDefinition, Map<CodegenMode, CompiledForces>>();

/** The mode a backend option asks for, as far as this environment allows. */
export function resolveMode(requested: CodegenMode | undefined): CodegenMode {
  if (requested === 'interpreter') return 'interpreter';
  return canGenerateCode() ? 'js' : 'interpreter';
}

function build(spec: ForceSpec, source: string, mode: CodegenMode): ForceKernels {
  const key = `${mode}\n${source}`;
  const hit = bySource.get(key);
  if (hit) {
    codegenStats.reused++;
    return hit;
  }
  let kernels: ForceKernels;
  if (mode === 'js') {
    kernels = new Function(source)() as ForceKernels;
    codegenStats.generated++;
  } else {
    kernels = interpretForces(spec);
    codegenStats.interpreted++;
  }
  if (bySource.size >= MAX_CACHED) bySource.delete(bySource.keys().next().value!);
  bySource.set(key, kernels);
  return kernels;
}

/** Kernels for a plan (worker threads: they have the plan, not the system). */
export function compileForces(plan: KernelPlan, mode: CodegenMode): CompiledForces {
  const spec = forceSpec(plan);
  const source = generateSource(spec);
  return { spec, kernels: build(spec, source, mode), source };
}

/** Kernels for a system, cached on the system itself. */
export function compileSystem(system: SystemDefinition, plan: KernelPlan, mode: CodegenMode): CompiledForces {
  let perMode = bySystem.get(system);
  const hit = perMode?.get(mode);
  if (hit) {
    codegenStats.reused++;
    return hit;
  }
  const compiled = compileForces(plan, mode);
  if (!perMode) bySystem.set(system, (perMode = new Map()));
  perMode.set(mode, compiled);
  return compiled;
}
