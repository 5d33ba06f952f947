import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { ProbeResult } from '@brokenrecord/core';
import { addonPath, loadAddon, missingAddonReason, type CpuFeatureReport } from './native.js';
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
 * instead of killing the host process.
 */
function runChild(path: string, isa: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', CHILD_SCRIPT, path, isa],
      { timeout: 60_000, maxBuffer: 1 << 20, env: { ...process.env, OMP_NUM_THREADS: '1' } },
      (error, stdout, stderr) => {
        if (error) {
          const e = error as NodeJS.ErrnoException & { signal?: string | null; killed?: boolean };
          const how = e.signal ? `was killed by ${e.signal}${e.signal === 'SIGILL' ? ' (illegal instruction: this CPU lacks an instruction the addon used)' : ''}` : `failed (${e.message.split('\n')[0]})`;
          // The line that names the problem (a loader or sanitizer error), else the last lines.
          const lines = `${stderr}`.trim().split('\n').map((l) => l.trim()).filter(Boolean);
          const telling = lines.filter((l) => /error|undefined symbol|cannot open|illegal/i.test(l));
          const detail = (telling.length ? telling.slice(0, 2) : lines.slice(-3)).join(' ');
          reject(new Error(`loading the native addon in a child process ${how}${detail ? `: ${detail}` : ''}`));
          return;
        }
        try {
          resolve(JSON.parse(stdout) as ChildReport);
        } catch {
          reject(new Error(`the native addon's self test printed no result: ${stdout.slice(0, 200)}`));
        }
      },
    );
  });
}

/** CPU feature names for `listBackends()`, widest first, plus what was chosen. */
function featureList(f: CpuFeatureReport, isa: string): string[] {
  const names: string[] = [`isa:${isa}`];
  const flags: [keyof CpuFeatureReport, string][] = [
    ['avx512f', 'avx512f'], ['avx512dq', 'avx512dq'], ['avx512bw', 'avx512bw'], ['avx512vl', 'avx512vl'],
    ['avx2', 'avx2'], ['fma', 'fma'], ['osZmm', 'os-zmm'], ['osYmm', 'os-ymm'],
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
  const path = addonPath();
  if (!existsSync(path)) return { available: false, reason: missingAddonReason(path) };
  let report: ChildReport;
  try {
    report = await runChild(path, isa);
  } catch (e) {
    return { available: false, reason: (e as Error).message };
  }
  if (!report.test.ok) {
    return { available: false, reason: `native self test failed: ${report.test.problem ?? 'no detail'}`, features: featureList(report.features, isa || report.features.best) };
  }
  // The child survived the same code: loading it here is now safe.
  try {
    loadAddon();
  } catch (e) {
    return { available: false, reason: `loading the native addon failed: ${(e as Error).message}` };
  }
  return { available: true, features: featureList(report.features, report.test.isa ?? report.features.best) };
}
