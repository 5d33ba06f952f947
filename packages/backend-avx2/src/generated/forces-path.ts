import type { KernelPlan } from '@brokenrecord/core';
import {
  compileGenerated,
  compilerVersion,
  findCompiler,
  generateCpp,
  type GeneratedLayout,
  type GeneratedVariant,
} from '@brokenrecord/native-common/codegen';
import { encodeBytecode, type InterpreterAddon } from '../codegen/bytecode.js';
import type { NativeAddon } from '../native.js';

/** How a system's expression terms run natively: an object compiled for it, or the interpreter. */
export type ForcesPath = 'compiled' | 'interpreter';

/** The opaque handle of a GeneratedForces (a type-tagged External made by the addon). */
export type ForcesHandle = { readonly __brand: 'GeneratedForces' };

export interface LoadedForces {
  handle: ForcesHandle;
  layout: GeneratedLayout;
  path: ForcesPath;
  /** Compile (or cache lookup) and load times, milliseconds. */
  compileMs: number;
  loadMs: number;
  /** The object came from the on-disk cache (no compiler ran). */
  cached: boolean;
}

/** The plan has terms written as expressions (anything the kernel table does not run). */
export function hasExpressionTerms(plan: KernelPlan): boolean {
  return plan.pairs.length + plan.bonds.length + plan.external.length + plan.fields.length > 0;
}

/** Which kinds of terms the native step loop must evaluate, and whether verlet's cache depends on t. */
export function termKinds(plan: KernelPlan): { position: boolean; velocity: boolean; positionTime: boolean } {
  const staticFields = plan.fields.filter((f) => !f.usesVelocity);
  return {
    position: plan.pairs.length + plan.bonds.length + plan.external.length + staticFields.length > 0,
    velocity: plan.fields.some((f) => f.usesVelocity),
    positionTime: plan.external.some((e) => e.usesTime) || staticFields.some((f) => f.usesTime),
  };
}

let choice: { path: ForcesPath | null; reason: string } | null = null;

/**
 * The one place that picks how expression terms run on this machine: compiled when the system C++
 * compiler (CXX, else c++) runs here, otherwise the addon's interpreter of the same terms
 * (src/codegen/bytecode.ts, native/src/interp). BROKENRECORD_AVX2_CODEGEN=interpreter forces the
 * interpreter (read at every call, so a process may run both); =compiled insists on the compiler.
 */
export function forcesPath(): { path: ForcesPath | null; reason: string } {
  const forced = process.env.BROKENRECORD_AVX2_CODEGEN;
  if (forced === 'interpreter') return { path: 'interpreter', reason: '' };
  if (forced !== undefined && forced !== '' && forced !== 'compiled') {
    return { path: null, reason: `BROKENRECORD_AVX2_CODEGEN is '${forced}': 'compiled' or 'interpreter'` };
  }
  if (!choice) {
    const compiler = findCompiler();
    const compiles = process.platform === 'linux' && compilerVersion(compiler) !== null;
    choice = compiles
      ? { path: 'compiled', reason: '' }
      : forced === 'compiled'
        ? { path: null, reason: `BROKENRECORD_AVX2_CODEGEN=compiled, but the C++ compiler '${compiler}' cannot be run here` }
        : { path: 'interpreter', reason: '' };
  }
  return choice;
}

/** Forgets the cached choice (tests that change CXX). */
export function resetForcesPath(): void {
  choice = null;
}

/** The sanitizer suite builds generated objects with ASan and UBSan, as the addon it loads them into. */
function sanitizeGenerated(): boolean {
  return process.env.BROKENRECORD_GENERATED_SANITIZE === '1';
}

/**
 * Generates, compiles (through the cache) and loads the plan's expression terms for the addon's
 * ISA; or, on the interpreter path, encodes them as bytecode for the addon's interpreter (its
 * block loops in that ISA, on `threads` OpenMP threads).
 */
export function loadForces(addon: NativeAddon, plan: KernelPlan, isa: GeneratedVariant, threads = 1): LoadedForces {
  const { path, reason } = forcesPath();
  if (path === 'interpreter') {
    const bytecode = encodeBytecode(plan);
    const t0 = performance.now();
    const handle = (addon as unknown as InterpreterAddon).createInterpretedForces(bytecode, { threads, isa }) as ForcesHandle;
    return { handle, layout: bytecode.layout, path, compileMs: 0, loadMs: performance.now() - t0, cached: false };
  }
  if (path !== 'compiled') throw new Error(reason);
  const { source, layout } = generateCpp(plan);
  const t0 = performance.now();
  const object = compileGenerated(source, { variant: isa, sanitize: sanitizeGenerated() });
  const t1 = performance.now();
  const handle = addon.loadCompiledForces(object.path) as ForcesHandle;
  const t2 = performance.now();
  return { handle, layout, path, compileMs: t1 - t0, loadMs: t2 - t1, cached: object.cached };
}
