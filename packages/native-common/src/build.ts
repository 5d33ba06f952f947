// The build and install steps of a native addon, run by the backends' scripts (build-native.mjs,
// install.mjs, prepack.mjs). Build tools are the backend's own dependencies (cmake-js,
// node-addon-api); CMake and a compiler come from the system, and their absence is recorded as a
// reason, never a failed install.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_TOOLS_HINT, prebuiltPath, sourceBuildPath, type AddonSpec, type BuildStatus } from './addon.js';
import { probeInChild } from './child-probe.js';
import { platformTag } from './platform.js';

/** This package's folder: CMake reads cmake/BrokenRecordAddon.cmake and include/ from it. */
export const nativeCommonRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Whether BROKENRECORD_REQUIRE lists the backend (a failed build then fails the command). */
export function requiredByEnvironment(backend: string): boolean {
  return (process.env.BROKENRECORD_REQUIRE ?? '')
    .split(',')
    .map((s) => s.trim())
    .includes(backend);
}

/** A package folder with its sources and tsconfig: a development checkout, not an installed package. */
export function isDevelopmentCheckout(packageRoot: string): boolean {
  return existsSync(join(packageRoot, 'tsconfig.json'));
}

export function recordStatus(packageRoot: string, status: BuildStatus, file = 'native-status.json'): void {
  const path = join(packageRoot, 'build', file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify({ ...status, at: new Date().toISOString() }, null, 2) + '\n');
}

/** The lines of a build log that say what went wrong, else its end. */
export function logSummary(log: string): string {
  // cmake-js prefixes its own errors with "ERROR OMG" and may repeat them.
  const lines = [
    ...new Set(
      log
        .split('\n')
        .map((l) => l.trim().replace(/^ERROR OMG\s+/, ''))
        .filter(Boolean),
    ),
  ];
  const telling = lines.filter((l) => /error|not found|not available|could not|no such/i.test(l));
  return (telling.length ? telling.slice(0, 4) : lines.slice(-6)).join(' | ');
}

export interface CompileOptions {
  /** Output folder relative to the package (default build/native). */
  out?: string;
  /** CMake cache entries, as `NAME=value`. */
  defines?: string[];
  /** CMake configuration (default Release). */
  config?: string;
}

export interface BuildResult {
  ok: boolean;
  reason?: string;
  [key: string]: unknown;
}

/** Runs `cmake-js compile` in the package folder; the result names what is missing when it fails. */
export function compileAddon(spec: AddonSpec, options: CompileOptions = {}): BuildResult {
  let cmakeJs: string;
  try {
    cmakeJs = createRequire(join(spec.packageRoot, 'package.json')).resolve('cmake-js/bin/cmake-js');
  } catch {
    return { ok: false, reason: `cmake-js is not installed (a dependency of ${spec.packageName}; reinstall the package)` };
  }
  const args = [
    cmakeJs,
    'compile',
    '--out',
    options.out ?? join('build', 'native'),
    '--parallel',
    process.env.BROKENRECORD_BUILD_JOBS ?? '2',
    '--log-level',
    'warn',
    `--CDBROKENRECORD_NATIVE_COMMON=${nativeCommonRoot}`,
  ];
  for (const define of options.defines ?? []) args.push(`--CD${define}`);
  if (options.config) args.push('--config', options.config);
  const run = spawnSync(process.execPath, args, { cwd: spec.packageRoot, encoding: 'utf8', env: process.env });
  if (run.status === 0) return { ok: true };
  const log = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  process.stdout.write(log);
  const how = run.error ? run.error.message : `cmake-js exited with ${run.status ?? run.signal}`;
  const noCmake = /cmake.*(not found|ENOENT)|CMake executable is not found/i.test(log) || /ENOENT/.test(how);
  return { ok: false, reason: `native build failed (${how})${noCmake ? ': CMake was not found' : ''}: ${logSummary(log)}` };
}

/** Reports a build's outcome; exits non-zero only when the build is strict. */
export function finishBuild(spec: AddonSpec, result: BuildResult, strict: boolean, out = join('build', 'native')): void {
  const tag = `[${spec.packageName}]`;
  if (result.ok) {
    console.log(`${tag} native addon built into ${out}`);
  } else if (strict) {
    console.error(`${tag} ${result.reason}`);
    process.exit(1);
  } else {
    console.warn(`${tag} native addon not built; the backend will report itself unavailable and core falls back.\n${result.reason}`);
  }
}

/** Loads an addon file in a child process; resolves when it loads. */
export function checkLoads(path: string): Promise<unknown> {
  return probeInChild('require(process.argv[1]); process.stdout.write("true")', [path]);
}

/**
 * The install step: nothing to do in a development checkout (the package build makes the addon)
 * or when the prebuilt binary for this platform loads; else a build from source, tolerant (a
 * failed build is recorded as the probe's reason and the install still succeeds) unless
 * BROKENRECORD_REQUIRE lists the backend. BROKENRECORD_BUILD_FROM_SOURCE=1 skips the prebuilt.
 */
export async function installAddon(spec: AddonSpec, backend: string, build: (strict: boolean) => BuildResult): Promise<void> {
  const tag = `[${spec.packageName}]`;
  if (isDevelopmentCheckout(spec.packageRoot)) {
    console.log(`${tag} development checkout: the package's build script builds the addon`);
    return;
  }
  const prebuilt = prebuiltPath(spec);
  let prebuiltProblem = `no prebuilt binary for ${platformTag()}`;
  if (process.env.BROKENRECORD_BUILD_FROM_SOURCE === '1') {
    prebuiltProblem = 'BROKENRECORD_BUILD_FROM_SOURCE=1';
  } else if (existsSync(prebuilt)) {
    try {
      await checkLoads(prebuilt);
      console.log(`${tag} using the prebuilt ${platformTag()} binary`);
      return;
    } catch (e) {
      prebuiltProblem = `the prebuilt ${platformTag()} binary does not load here (${(e as Error).message})`;
    }
  }
  console.log(`${tag} ${prebuiltProblem}: building from source`);
  const strict = requiredByEnvironment(backend);
  const result = build(strict);
  recordStatus(
    spec.packageRoot,
    result.ok ? result : { ...result, reason: `${result.reason} (${BUILD_TOOLS_HINT} ${spec.packageName}\`)` },
  );
  finishBuild(spec, result, strict);
}

/** Shared libraries of a binary that are not part of every glibc system (ldd), e.g. libgomp. */
function carriedLibraries(binary: string): string[] {
  const base = /^(linux-vdso|libc|libm|libdl|libpthread|librt|ld-linux[^ ]*)\.so/;
  // Without LD_PRELOAD: what the binary itself needs, not what a preloaded library (libasan) does.
  const out = execFileSync('ldd', [binary], { encoding: 'utf8', env: { ...process.env, LD_PRELOAD: '' } });
  const carried: string[] = [];
  for (const line of out.split('\n')) {
    const m = /^\s*(\S+)\s+=>\s+(\S+)/.exec(line);
    if (!m || base.test(m[1]!)) continue;
    if (m[2] === 'not') throw new Error(`${binary} needs ${m[1]}, which is not installed here`);
    if (dirname(m[2]!) === dirname(binary)) continue;
    carried.push(m[2]!);
  }
  return carried;
}

/**
 * Before packing: copies the source build into prebuilds/<platform>/ with the shared libraries it
 * needs beyond glibc (libgomp.so.1: found through the binary's RUNPATH $ORIGIN), so the packed
 * package loads on a machine without a compiler or OpenMP runtime. Only Linux builds are staged.
 */
export function stagePrebuilt(spec: AddonSpec): string {
  const source = sourceBuildPath(spec);
  if (!existsSync(source)) throw new Error(`no source build at ${source} to stage as the prebuilt binary (build the package first)`);
  if (process.platform !== 'linux') throw new Error(`prebuilt binaries are staged on Linux only (this is ${process.platform})`);
  const target = prebuiltPath(spec);
  rmSync(dirname(target), { recursive: true, force: true });
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
  const carried = carriedLibraries(source);
  for (const lib of carried) copyFileSync(lib, join(dirname(target), basename(lib)));
  console.log(`[${spec.packageName}] prebuilt ${platformTag()}: ${[basename(target), ...carried.map((l) => basename(l))].join(', ')}`);
  return target;
}
