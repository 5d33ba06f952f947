import type { ProbeResult } from '@brokenrecord/core';
import { probeInChild, selectAddon } from '@brokenrecord/native-common';
import { addonSpec, chooseAddon, loadAddon, type CpuFeatureReport } from './native.js';
import { forcesPath } from './generated/forces-path.js';
import { isaFromEnvironment } from './options.js';

/** Loads the addon and runs its self test; prints one JSON line. Runs in a child process. */
const CHILD_SCRIPT = `
const addon = require(process.argv[1]);
const test = addon.selfTest(process.argv[2] || '');
process.stdout.write(JSON.stringify({ test, features: addon.cpuFeatures() }));
`;

interface ChildReport {
  test: { ok: boolean; isa?: string; problem?: string };
  features: CpuFeatureReport;
}

/**
 * Loads the addon first in a child process and runs every kernel of the chosen instruction set
 * there, so that a missing library, a broken binary or an illegal instruction becomes a reason
 * instead of killing the host process. A failed self test rejects too, so the next candidate
 * file (the prebuilt binary after a broken source build) is tried.
 */
async function runChild(path: string, isa: string): Promise<ChildReport> {
  const report = await probeInChild<ChildReport>(CHILD_SCRIPT, [path, isa], { env: { OMP_NUM_THREADS: '1' } });
  if (!report.test.ok) throw new Error(`native self test failed: ${report.test.problem ?? 'no detail'}`);
  return report;
}

/** CPU feature names for `listBackends()`, widest first, plus what was chosen. */
function featureList(f: CpuFeatureReport, isa: string): string[] {
  const names: string[] = [`isa:${isa}`];
  const flags: [keyof CpuFeatureReport, string][] = [
    ['avx512f', 'avx512f'],
    ['avx512dq', 'avx512dq'],
    ['avx512bw', 'avx512bw'],
    ['avx512vl', 'avx512vl'],
    ['avx2', 'avx2'],
    ['fma', 'fma'],
    ['osZmm', 'os-zmm'],
    ['osYmm', 'os-ymm'],
  ];
  for (const [key, name] of flags) if (f[key]) names.push(name);
  names.push(f.openmp ? `openmp:${f.maxThreads} threads` : 'openmp:off');
  return names;
}

export async function probeAvx2(): Promise<ProbeResult> {
  if (typeof process === 'undefined' || !process.versions?.node) {
    return { available: false, reason: 'native addons need Node.js' };
  }
  let isa: string;
  try {
    isa = isaFromEnvironment();
  } catch (e) {
    return { available: false, reason: (e as Error).message };
  }
  const selected = await selectAddon(addonSpec, (path) => runChild(path, isa));
  if ('reason' in selected) return { available: false, reason: selected.reason };
  const report = selected.report;
  chooseAddon(selected.candidate);
  // The child survived the same code: loading it here is now safe.
  try {
    loadAddon();
  } catch (e) {
    return { available: false, reason: `loading the native addon failed: ${(e as Error).message}` };
  }
  return {
    available: true,
    features: [
      ...featureList(report.features, report.test.isa ?? report.features.best),
      `binary:${selected.candidate.origin}`,
      // How rules written as expressions run here (none listed: the backend does not offer them).
      ...(forcesPath().path ? [`codegen:${forcesPath().path}`] : []),
    ],
  };
}
