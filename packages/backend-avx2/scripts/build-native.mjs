#!/usr/bin/env node
// Builds the native addon with cmake-js, tolerantly: a machine without a C++ compiler or CMake
// still installs and builds the TypeScript part, and the probe then reports why the backend is
// unavailable (from build/native-status.json). The build is strict (fails the command) with
// --strict, or when BROKENRECORD_REQUIRE lists avx2, so CI that requires the backend sees the error.
//
//   node scripts/build-native.mjs [--strict] [--sanitize]
//   --sanitize: AddressSanitizer + UBSan build into build/sanitize (see scripts/test-sanitize.mjs)
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const sanitize = args.includes('--sanitize');
const required = (process.env.BROKENRECORD_REQUIRE ?? '').split(',').map((s) => s.trim()).includes('avx2');
const strict = args.includes('--strict') || required;
const out = join('build', sanitize ? 'sanitize' : 'native');
const statusFile = join(root, 'build', sanitize ? 'sanitize-status.json' : 'native-status.json');

function record(status) {
  mkdirSync(dirname(statusFile), { recursive: true });
  writeFileSync(statusFile, JSON.stringify({ ...status, at: new Date().toISOString() }, null, 2) + '\n');
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
  const cmakeArgs = [cmakeJs, 'compile', '--out', out, '--parallel', process.env.BROKENRECORD_BUILD_JOBS ?? '2', '--log-level', 'warn'];
  if (sanitize) cmakeArgs.push('--CDBROKENRECORD_SANITIZE=ON', '--config', 'RelWithDebInfo');
  const run = spawnSync(process.execPath, cmakeArgs, { cwd: root, encoding: 'utf8', env: process.env });
  const log = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  if (run.status === 0) {
    result = { ok: true };
  } else {
    // The lines that say what is missing (compiler, CMake, headers), else the end of the log.
    const lines = log.split('\n').map((l) => l.trim()).filter(Boolean);
    const telling = lines.filter((l) => /error|not found|could not|no such/i.test(l) && !/^ERROR OMG/.test(l));
    const tail = (telling.length ? telling.slice(0, 4) : lines.slice(-6)).join(' | ');
    const reason = run.error ? run.error.message : `cmake-js exited with ${run.status ?? run.signal}`;
    result = { ok: false, reason: `native build failed (${reason}): ${tail}` };
  }
  process.stdout.write(run.status === 0 ? '' : log);
}

record(result);
if (result.ok) {
  console.log(`native addon built into ${out}`);
} else if (strict) {
  console.error(`[backend-avx2] ${result.reason}`);
  process.exit(1);
} else {
  console.warn(`[backend-avx2] native addon not built; the avx2 backend will report itself unavailable.\n${result.reason}`);
}
