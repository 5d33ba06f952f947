import type { KernelPlan } from '@brokenrecord/core';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The plan object the native NativeContext constructor reads (see native/src/native_context.cpp). */
/** The system in the plain form the addon reads (core's kernel plan). */
export type NativePlan = KernelPlan;

export interface NativeContextHandle {
  setColumns(...columns: Float32Array[]): void;
  step(n: number): void;
  invalidate(): void;
  diagnostics(): Float64Array;
  /** The first particle with a non-finite position or velocity, or -1. */
  firstNonFinite(): number;
  dispose(): void;
  readonly isa: string;
  readonly threads: number;
  /** Whether steps run fused (per-particle system, fusion on). */
  readonly fused: boolean;
}

export interface CpuFeatureReport {
  x86: boolean; osxsave: boolean; osYmm: boolean; osZmm: boolean;
  avx: boolean; avx2: boolean; fma: boolean;
  avx512f: boolean; avx512dq: boolean; avx512bw: boolean; avx512vl: boolean;
  /** Instruction sets this machine can run, e.g. "scalar,avx2,avx512". */
  usable: string;
  best: string;
  openmp: boolean;
  maxThreads: number;
}

export interface NativeAddon {
  NativeContext: new (plan: NativePlan, options: { threads: number; isa: string; fuse: boolean }) => NativeContextHandle;
  cpuFeatures(): CpuFeatureReport;
  selfTest(isa?: string): { ok: boolean; isa?: string; problem?: string };
}

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Where the addon is: BROKENRECORD_AVX2_ADDON (e.g. the sanitizer build) or the normal build.
 */
export function addonPath(): string {
  return process.env.BROKENRECORD_AVX2_ADDON || join(packageRoot, 'build', 'native', 'Release', 'brokenrecord_avx2.node');
}

/** Why the addon file is missing, from the record the build script leaves behind. */
export function missingAddonReason(path: string): string {
  const status = join(packageRoot, 'build', 'native-status.json');
  if (existsSync(status)) {
    try {
      const recorded = JSON.parse(readFileSync(status, 'utf8')) as { ok: boolean; reason?: string };
      if (!recorded.ok && recorded.reason) return `native addon was not built: ${recorded.reason}`;
    } catch {
      // fall through to the generic reason
    }
  }
  return `native addon not found at ${path} (run the package's build: pnpm --filter @brokenrecord/backend-avx2 build)`;
}

let loaded: NativeAddon | null = null;

/**
 * OpenMP threads that wait at a barrier spin by default. On a machine whose cores are shared with
 * other processes, a spinning thread burns the time its descheduled teammate needs, and a
 * collision step with a few barriers ran 3x slower on 2 threads than on 1. Waiting threads
 * sleep instead, unless the user chose a policy. The OpenMP runtime reads this when the addon
 * loads it, so it is set before the first load (and inherited by the probe's child process).
 */
function preferPassiveWaiting(): void {
  if (process.env.OMP_WAIT_POLICY === undefined && process.env.GOMP_SPINCOUNT === undefined) {
    process.env.OMP_WAIT_POLICY = 'passive';
  }
}

/** Loads the addon into this process. Only call after the probe's child process loaded it safely. */
export function loadAddon(): NativeAddon {
  if (!loaded) {
    preferPassiveWaiting();
    loaded = createRequire(import.meta.url)(addonPath()) as NativeAddon;
  }
  return loaded;
}
