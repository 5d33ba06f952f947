#!/usr/bin/env node
// Builds the native addon with cmake-js, tolerantly: the device executor when a CUDA compiler is
// found, else (or when that build fails) the host executor alone, and without CMake or a C++
// compiler nothing, so the package still installs and builds its TypeScript. The probe reports
// why the backend is unavailable (from the addon's deviceReport, or build/native-status.json).
// The build is strict (fails the command, CUDA required) with --strict, or when
// BROKENRECORD_REQUIRE lists cuda.
//
//   node scripts/build-native.mjs [--strict]
//   BROKENRECORD_CUDA_ARCHITECTURES=90 (or "native" on a GPU machine): one architecture, faster
//   BROKENRECORD_BUILD_JOBS=1: parallel compile jobs (default 2; nvcc jobs are heavy)
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const required = (process.env.BROKENRECORD_REQUIRE ?? '').split(',').map((s) => s.trim()).includes('cuda');
const strict = args.includes('--strict') || required;
const out = join('build', 'native');
const statusFile = join(root, 'build', 'native-status.json');

function record(status) {
  mkdirSync(dirname(statusFile), { recursive: true });
  writeFileSync(statusFile, JSON.stringify({ ...status, at: new Date().toISOString() }, null, 2) + '\n');
}

/** The lines of a build log that say what went wrong, else its end. */
function summary(log) {
  const lines = log.split('\n').map((l) => l.trim()).filter(Boolean);
  const telling = lines.filter((l) => /error|not found|could not|no such/i.test(l) && !/^ERROR OMG/.test(l));
  return (telling.length ? telling.slice(0, 4) : lines.slice(-6)).join(' | ');
}

function compile(cmakeJs, cuda) {
  const cmakeArgs = [cmakeJs, 'compile', '--out', out, '--parallel', process.env.BROKENRECORD_BUILD_JOBS ?? '2',
    '--log-level', 'warn', `--CDBROKENRECORD_CUDA=${cuda}`];
  if (process.env.BROKENRECORD_CUDA_ARCHITECTURES) {
    cmakeArgs.push(`--CDBROKENRECORD_CUDA_ARCHITECTURES=${process.env.BROKENRECORD_CUDA_ARCHITECTURES}`);
  }
  const run = spawnSync(process.execPath, cmakeArgs, { cwd: root, encoding: 'utf8', env: process.env });
  const log = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  if (run.status === 0) return { ok: true };
  process.stdout.write(log);
  const how = run.error ? run.error.message : `cmake-js exited with ${run.status ?? run.signal}`;
  return { ok: false, reason: `native build failed (${how}): ${summary(log)}` };
}

let cmakeJs;
try {
  cmakeJs = createRequire(join(root, 'package.json')).resolve('cmake-js/bin/cmake-js');
} catch {
  cmakeJs = null;
}

let result;
if (!cmakeJs) {
  result = { ok: false, reason: 'cmake-js is not installed (a development dependency of this package)' };
} else {
  result = compile(cmakeJs, strict ? 'ON' : 'AUTO');
  if (!result.ok && !strict) {
    // The device code failed to build: keep the host executor (the math tests) and say why.
    const cudaFailure = result.reason;
    rmSync(join(root, out), { recursive: true, force: true });
    result = compile(cmakeJs, 'OFF');
    if (result.ok) result = { ok: true, cudaBuildFailure: cudaFailure };
  }
}

record(result);
if (result.ok) {
  console.log(`native addon built into ${out}${result.cudaBuildFailure ? ' (host executor only: the CUDA part failed to build)' : ''}`);
} else if (strict) {
  console.error(`[backend-cuda] ${result.reason}`);
  process.exit(1);
} else {
  console.warn(`[backend-cuda] native addon not built; the cuda backend will report itself unavailable.\n${result.reason}`);
}
