import type { KernelPlan } from '@brokenrecord/core';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The plan object the native context reads (see native/src/plan_from_js.cpp). */
/** The system in the plain form the addon reads (core's kernel plan). */
export type NativePlan = KernelPlan;

/** Where a context's state lives and which code steps it. */
export type ExecutorKind = 'device' | 'host';

export interface NativeContextHandle {
  /** Uploads the eight columns (px py pz vx vy vz mass radius). */
  write(...columns: Float32Array[]): void;
  /** Downloads the state into eight columns of the current count. */
  read(...columns: Float32Array[]): void;
  step(n: number): void;
  /** kinetic, potential, momentum[3], angular momentum[3], Σ m x[3], mass. */
  diagnostics(): Float64Array;
  /** Saves positions and velocities in the executor's memory; write() discards the checkpoint. */
  checkpoint(): void;
  /** Restores the checkpoint (throws without one). */
  rollback(): void;
  /** The first particle with a non-finite position or velocity, or -1. */
  firstNonFinite(): number;
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

export interface NativeAddon {
  NativeContext: new (plan: NativePlan, kind: ExecutorKind) => NativeContextHandle;
  deviceReport(): DeviceReport;
}

/** A native failure: the CUDA runtime's error name and whether device memory ran out. */
export interface NativeError extends Error {
  cudaError?: string;
  outOfMemory?: boolean;
}

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the addon is: BROKENRECORD_CUDA_ADDON or the normal build. */
export function addonPath(): string {
  return process.env.BROKENRECORD_CUDA_ADDON || join(packageRoot, 'build', 'native', 'Release', 'brokenrecord_cuda.node');
}

interface BuildStatus {
  ok: boolean;
  reason?: string;
  cudaBuildFailure?: string;
}

/** What the build script recorded (build/native-status.json), if anything. */
export function buildStatus(): BuildStatus | null {
  const status = join(packageRoot, 'build', 'native-status.json');
  if (!existsSync(status)) return null;
  try {
    return JSON.parse(readFileSync(status, 'utf8')) as BuildStatus;
  } catch {
    return null;
  }
}

/** Why the addon file is missing, from the record the build script leaves behind. */
export function missingAddonReason(path: string): string {
  const recorded = buildStatus();
  if (recorded && !recorded.ok && recorded.reason) return `native addon was not built: ${recorded.reason}`;
  return `native addon not found at ${path} (run the package's build: pnpm --filter @brokenrecord/backend-cuda build)`;
}

let loaded: NativeAddon | null = null;

/** Loads the addon into this process. Only call after the probe's child process loaded it safely. */
export function loadAddon(): NativeAddon {
  if (!loaded) loaded = createRequire(import.meta.url)(addonPath()) as NativeAddon;
  return loaded;
}
