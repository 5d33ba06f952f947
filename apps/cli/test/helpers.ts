import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/main.js ...args` to completion, as a user's shell would (stdout/stderr are pipes). */
export function cli(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The caller's environment must not pick another backend or print stacks behind the test's back.
  // NODE_PATH (set by package-manager shims) would let core discover backends a user's shell would
  // not see; without it, the installed set is this package's own dependencies.
  for (const name of ['NODE_PATH', 'BROKENRECORD_BACKEND', 'BROKENRECORD_DEBUG', 'BROKENRECORD_BENCH_SCRIPT']) delete env[name];
  Object.assign(env, options.env);
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: options.cwd, env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temporary directory, removed after the test file. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'brokenrecord-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The report row of one quantity: [name, initial, final, drift, tolerance, result]. */
export function reportRow(stdout: string, quantity: 'energy' | 'momentum' | 'angular momentum'): string[] {
  const line = stdout.split('\n').find((l) => l.startsWith(`${quantity} `));
  if (!line) throw new Error(`no report row for ${quantity} in:\n${stdout}`);
  return line
    .slice(quantity.length)
    .trim()
    .split(/\s{2,}/);
}
