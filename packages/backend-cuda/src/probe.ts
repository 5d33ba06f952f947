import type { ProbeResult } from '@brokenrecord/core';
import { probeInChild, selectAddon } from '@brokenrecord/native-common';
import { findDeviceCompiler } from './codegen/compile-cuda.js';
import { hostGeneratedUnavailable } from './kernel-kinds.js';
import { addonOrigin, addonSpec, buildStatus, chooseAddon, loadAddon, type DeviceReport } from './native.js';

/** Loads the addon and asks the CUDA runtime for its devices; prints one JSON line. */
const CHILD_SCRIPT = `
const addon = require(process.argv[1]);
process.stdout.write(JSON.stringify(addon.deviceReport()));
`;

/**
 * Loads the addon first in a child process, so that a missing library or a broken binary (or a
 * driver that crashes) becomes a reason instead of killing the host process.
 */
function runChild(path: string): Promise<DeviceReport> {
  return probeInChild<DeviceReport>(CHILD_SCRIPT, [path]);
}

/** Chooses the addon file that loads in a child process, then loads it here; the report or the reason it is unusable. */
async function loadSafely(): Promise<DeviceReport | string> {
  if (typeof process === 'undefined' || !process.versions?.node) return 'native addons need Node.js';
  const selected = await selectAddon(addonSpec, runChild);
  if ('reason' in selected) return selected.reason;
  chooseAddon(selected.candidate);
  try {
    loadAddon();
  } catch (e) {
    return `loading the native addon failed: ${(e as Error).message}`;
  }
  return selected.report;
}

function version(v: number): string {
  return `${Math.floor(v / 1000)}.${Math.floor((v % 1000) / 10)}`;
}

/** Why the device backend cannot run, from what the runtime said; null when it can. */
export function deviceUnavailableReason(report: DeviceReport): string | null {
  if (!report.builtWithCuda) {
    const failure = buildStatus()?.cudaBuildFailure;
    return failure
      ? `built without CUDA (the CUDA build failed: ${failure})`
      : 'built without CUDA (no CUDA compiler when the addon was built)';
  }
  if (report.error !== 0) {
    return `no CUDA device (cudaGetDeviceCount: ${report.errorText}, ${report.errorName} error ${report.error})`;
  }
  if (report.count === 0) return 'no CUDA device (cudaGetDeviceCount found 0 devices)';
  return null;
}

/** The CUDA backend: the addon built with CUDA and at least one device the runtime can use. */
export async function probeCuda(): Promise<ProbeResult> {
  const report = await loadSafely();
  if (typeof report === 'string') return { available: false, reason: report };
  const reason = deviceUnavailableReason(report);
  const features = [`cuda-runtime:${version(report.runtimeVersion)}`, `binary:${addonOrigin()}`];
  if (report.driverVersion) features.push(`cuda-driver:${version(report.driverVersion)}`);
  // Rules written as expressions: which compiler builds their device module, or why none can.
  const compiler = findDeviceCompiler(loadAddon());
  features.push(
    'reason' in compiler
      ? `generated:unavailable (${compiler.reason})`
      : `generated:${compiler.kind} ${compiler.version.split('\n').pop()}`,
  );
  for (const d of report.devices) {
    features.push(`device:${d.name}`, `compute-capability:${d.major}.${d.minor}`, `memory:${(d.memory / 2 ** 30).toFixed(1)} GiB`);
  }
  if (!report.builtWithCuda) return { available: false, reason: reason! };
  return reason ? { available: false, reason, features } : { available: true, features };
}

/** The host executor of the same kernels: needs only the addon to load. */
export async function probeCudaHost(): Promise<ProbeResult> {
  const report = await loadSafely();
  if (typeof report === 'string') return { available: false, reason: report };
  const generated = hostGeneratedUnavailable();
  return {
    available: true,
    features: [
      'host-executor',
      report.builtWithCuda ? 'built-with-cuda' : 'built-without-cuda',
      // Rules written as expressions: their CUDA source compiled as C++ and loaded, or why not.
      generated === null ? 'generated:compiled' : `generated:unavailable (${generated})`,
    ],
  };
}
