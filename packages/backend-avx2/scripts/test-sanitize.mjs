#!/usr/bin/env node
// Runs the test suite (conformance + own tests + fuzz) against the AddressSanitizer/UBSan build of
// the addon (build it first: `pnpm run build:sanitize`).
//
// An ASan-instrumented shared library loaded into an uninstrumented node needs the ASan runtime
// loaded first, hence LD_PRELOAD of the compiler's libasan. Node itself keeps allocations alive
// until exit by design, so leak detection is off; UBSan findings abort (the build uses
// -fno-sanitize-recover=undefined) so they fail the run rather than scroll past.
//
//   node scripts/test-sanitize.mjs [vitest args...]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const addon = join(root, 'build', 'sanitize', 'RelWithDebInfo', 'brokenrecord_avx2.node');
if (!existsSync(addon)) {
  console.error(`no sanitizer build at ${addon}: run \`pnpm run build:sanitize\` first`);
  process.exit(1);
}

function runtime(name) {
  const compiler = process.env.CXX || 'c++';
  const path = execFileSync(compiler, [`-print-file-name=${name}`], { encoding: 'utf8' }).trim();
  if (!path || path === name || !existsSync(path)) throw new Error(`${compiler} does not know where ${name} is`);
  return path;
}

const env = {
  ...process.env,
  LD_PRELOAD: [runtime('libasan.so'), process.env.LD_PRELOAD].filter(Boolean).join(' '),
  ASAN_OPTIONS: process.env.ASAN_OPTIONS ?? 'detect_leaks=0:abort_on_error=1:detect_odr_violation=0',
  UBSAN_OPTIONS: process.env.UBSAN_OPTIONS ?? 'print_stacktrace=1:halt_on_error=1',
  BROKENRECORD_AVX2_ADDON: addon,
  // A sanitizer report in the probe's child process makes the backend unavailable: that must
  // fail this run, not skip its tests.
  BROKENRECORD_REQUIRE: [process.env.BROKENRECORD_REQUIRE, 'avx2'].filter(Boolean).join(','),
  // The suite is slower under the sanitizers; fewer fuzz cases keep it within minutes.
  BROKENRECORD_GENERATED_SANITIZE: '1',
  BROKENRECORD_FUZZ_CASES: process.env.BROKENRECORD_FUZZ_CASES ?? '400',
};
const vitest = join(root, 'node_modules', '.bin', 'vitest');
const run = spawnSync(vitest, ['run', ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });
process.exit(run.status ?? 1);
