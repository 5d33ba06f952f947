import type { KernelPlan } from '@brokenrecord/core';
import { addonCandidates, loadAddonFile, sourceBuildPath, type AddonCandidate, type AddonSpec } from '@brokenrecord/native-common';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NativeExtras } from './generated/extras.js';
import type { ForcesHandle } from './generated/forces-path.js';

/** The system in the plain form the addon reads (core's kernel plan). */
export type NativePlan = KernelPlan;

export interface NativeContextHandle {
  setColumns(...columns: Float32Array[]): void;
  /** What the expression terms read besides the columns (after every setColumns). */
  setExtras(extras: NativeExtras): void;
  /** `from`: the simulation's step count before this call (time of expression terms). */
  step(n: number, from?: number): void;
  invalidate(): void;
  /** native-common's diagnostics array (readNativeDiagnostics); `time` for expression potentials. */
  diagnostics(time?: number): Float64Array;
  /** The first particle with a non-finite position or velocity, or -1. */
  firstNonFinite(): number;
  dispose(): void;
  readonly isa: string;
  readonly threads: number;
  /** Whether steps run fused (per-particle system, fusion on). */
  readonly fused: boolean;
  /** Steps whose collisions reached the sweep limit still applying impulses (docs/physics.md). */
  readonly unresolvedContactSteps: number;
}

export interface CpuFeatureReport {
  x86: boolean;
  osxsave: boolean;
  osYmm: boolean;
  osZmm: boolean;
  avx: boolean;
  avx2: boolean;
  fma: boolean;
  avx512f: boolean;
  avx512dq: boolean;
  avx512bw: boolean;
  avx512vl: boolean;
  /** Instruction sets this machine can run, e.g. "scalar,avx2,avx512". */
  usable: string;
  best: string;
  openmp: boolean;
  maxThreads: number;
}

export interface NativeContextOptions {
  threads: number;
  isa: string;
  fuse: boolean;
  /** The system's expression terms (a GeneratedForces handle) and which kinds it has. */
  forces?: ForcesHandle;
  terms?: { position: boolean; velocity: boolean; positionTime: boolean };
}

export interface NativeAddon {
  NativeContext: new (plan: NativePlan, options: NativeContextOptions) => NativeContextHandle;
  /** dlopen of a compiled object of generated expression terms (checks its ABI version). */
  loadCompiledForces(path: string): ForcesHandle;
  cpuFeatures(): CpuFeatureReport;
  selfTest(isa?: string): { ok: boolean; isa?: string; problem?: string };
}

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** This package's addon: built from source into build/, or the prebuilt binary in prebuilds/. */
export const addonSpec: AddonSpec = {
  packageRoot,
  packageName: '@brokenrecord/backend-avx2',
  binary: 'brokenrecord_avx2',
  overrideVariable: 'BROKENRECORD_AVX2_ADDON',
};

let chosen: AddonCandidate | null = null;

/** Records the addon file the probe chose (it loaded and passed its self test in a child process). */
export function chooseAddon(candidate: AddonCandidate): void {
  if (loaded && chosen && chosen.path !== candidate.path) throw new Error(`the addon at ${chosen.path} is already loaded`);
  chosen = candidate;
}

/**
 * Where the addon is: the one the probe chose, else the first candidate (BROKENRECORD_AVX2_ADDON,
 * e.g. the sanitizer build; the source build; the prebuilt binary), else the source build's path.
 */
export function addonPath(): string {
  return (chosen ?? addonCandidates(addonSpec)[0])?.path ?? sourceBuildPath(addonSpec);
}

/** Where the loaded (or chosen) addon came from. */
export function addonOrigin(): AddonCandidate['origin'] | null {
  return (chosen ?? addonCandidates(addonSpec)[0])?.origin ?? null;
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
    loaded = loadAddonFile<NativeAddon>(addonPath());
  }
  return loaded;
}
