import type { KernelPlan } from '@brokenrecord/core';
import {
  addonCandidates,
  loadAddonFile,
  readBuildStatus,
  sourceBuildPath,
  type AddonCandidate,
  type AddonSpec,
  type BuildStatus,
} from '@brokenrecord/native-common';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NvrtcAddon } from './codegen/compile-cuda.js';
import type { CudaKernelSet } from './codegen/emit-cuda.js';
import type { TermArrays } from './generated-terms.js';

/** The system in the plain form the addon reads (core's kernel plan). */
export type NativePlan = KernelPlan;

/** Where a context's state lives and which code steps it. */
export type ExecutorKind = 'device' | 'host';

/** A system's generated terms as the addon takes them: the compiled code and which kernels it needs. */
export interface NativeGenerated {
  /** The host variant compiled as C++ (host executor). */
  library?: string;
  /** The device module: cubin, fatbin or PTX (device executor). */
  image?: Uint8Array;
  kernels: CudaKernelSet;
}

export interface NativeContextHandle {
  /** Uploads the eight columns (px py pz vx vy vz mass radius). */
  write(...columns: Float32Array[]): void;
  /** Downloads the state into eight columns of the current count. */
  read(...columns: Float32Array[]): void;
  /** The arrays the generated terms read, after every write() of a plan with terms. */
  writeTerms(terms: TermArrays): void;
  /** `first`: the simulation's step count before these steps (the terms' time). */
  step(n: number, first: number): void;
  /** native-common's diagnostics array (readNativeDiagnostics), the terms' potential at `time`. */
  diagnostics(time: number): Float64Array;
  /** Saves positions and velocities in the executor's memory; write() discards the checkpoint. */
  checkpoint(): void;
  /** Restores the checkpoint (throws without one). */
  rollback(): void;
  /** The first particle with a non-finite position or velocity, or -1. */
  firstNonFinite(): number;
  /** Steps whose collisions reached the sweep limit still applying impulses (docs/physics.md). */
  unresolvedContactSteps(): number;
  dispose(): void;
}

export interface DeviceReport {
  builtWithCuda: boolean;
  count: number;
  /** cudaGetDeviceCount's status: 0 on success. */
  error: number;
  errorName: string;
  errorText: string;
  runtimeVersion: number;
  driverVersion: number;
  devices: { name: string; major: number; minor: number; memory: number }[];
}

export interface NativeAddon extends NvrtcAddon {
  NativeContext: new (plan: NativePlan, kind: ExecutorKind, generated?: NativeGenerated) => NativeContextHandle;
  deviceReport(): DeviceReport;
}

/** A native failure: the CUDA runtime's error name and whether device memory ran out. */
export interface NativeError extends Error {
  cudaError?: string;
  outOfMemory?: boolean;
}

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** This package's addon: built from source into build/, or the prebuilt binary in prebuilds/. */
export const addonSpec: AddonSpec = {
  packageRoot,
  packageName: '@brokenrecord/backend-cuda',
  binary: 'brokenrecord_cuda',
  overrideVariable: 'BROKENRECORD_CUDA_ADDON',
};

let chosen: AddonCandidate | null = null;

/** Records the addon file the probe chose (it loaded in a child process). */
export function chooseAddon(candidate: AddonCandidate): void {
  if (loaded && chosen && chosen.path !== candidate.path) throw new Error(`the addon at ${chosen.path} is already loaded`);
  chosen = candidate;
}

/** Where the addon is: the one the probe chose, else the first candidate (override, source build, prebuilt). */
export function addonPath(): string {
  return (chosen ?? addonCandidates(addonSpec)[0])?.path ?? sourceBuildPath(addonSpec);
}

/** Where the loaded (or chosen) addon came from. */
export function addonOrigin(): AddonCandidate['origin'] | null {
  return (chosen ?? addonCandidates(addonSpec)[0])?.origin ?? null;
}

/** What the build script recorded (build/native-status.json) when the chosen addon is the source build. */
export function buildStatus(): BuildStatus | null {
  return addonOrigin() === 'source' ? readBuildStatus(packageRoot) : null;
}

let loaded: NativeAddon | null = null;

/** The addon when this process has loaded it (after a successful probe), else null. */
export function loadedAddon(): NativeAddon | null {
  return loaded;
}

/** Loads the addon into this process. Only call after the probe's child process loaded it safely. */
export function loadAddon(): NativeAddon {
  if (!loaded) loaded = loadAddonFile<NativeAddon>(addonPath());
  return loaded;
}
