import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Compiles generated C++ (emit-cpp.ts) to a shared object, once per (source, compiler, flags):
 * the object is cached under `BROKENRECORD_CACHE_DIR` (default `$XDG_CACHE_HOME/brokenrecord`, or
 * `~/.cache/brokenrecord`), named by a hash of the three, and both the source and the object are
 * written to a temporary name and renamed into place, so a concurrent process sees either no file
 * or a whole one.
 */

/** The ISA variants of one generated source; flags as the addon's CMakeLists gives its ISA files. */
export type GeneratedVariant = 'scalar' | 'avx2' | 'avx512';

export const VARIANT_FLAGS: Readonly<Record<GeneratedVariant, readonly string[]>> = {
  scalar: [],
  avx2: ['-mavx2', '-mfma'],
  avx512: ['-mavx2', '-mfma', '-mavx512f', '-mavx512dq', '-mavx512bw', '-mavx512vl'],
};

/** The addon's common flags (CMakeLists BR_COMMON_FLAGS): no contraction, as the hand-written kernels. */
export const BASE_FLAGS: readonly string[] = [
  '-std=c++17',
  '-O3',
  '-fPIC',
  '-shared',
  '-ffp-contract=off',
  '-fno-math-errno',
  '-fopenmp',
  '-fvisibility=hidden',
  '-Wall',
  '-Wextra',
  '-Wno-unused-parameter',
  '-Werror',
];

/** As the addon's sanitizer build (build-native.mjs --sanitize). */
export const SANITIZE_FLAGS: readonly string[] = [
  '-g',
  '-fsanitize=address,undefined',
  '-fno-sanitize-recover=undefined',
  '-fno-omit-frame-pointer',
];

/** A generated source that did not compile: a bug in the generator; the source is kept at `sourcePath`. */
export class GeneratedCompileError extends Error {
  readonly sourcePath: string;
  readonly compiler: string;
  readonly flags: readonly string[];
  readonly output: string;
  constructor(message: string, detail: { sourcePath: string; compiler: string; flags: readonly string[]; output: string }) {
    super(`${message} (source kept at ${detail.sourcePath})${detail.output ? `:\n${detail.output}` : ''}`);
    this.name = 'GeneratedCompileError';
    this.sourcePath = detail.sourcePath;
    this.compiler = detail.compiler;
    this.flags = detail.flags;
    this.output = detail.output;
  }
}

/** The C++ compiler as CMake finds it for the addon's build: `CXX`, else `c++`. */
export function findCompiler(env: NodeJS.ProcessEnv = process.env): string {
  const cxx = env.CXX?.trim();
  return cxx ? cxx : 'c++';
}

const versions = new Map<string, string | null>();

/** The compiler's `--version` text (part of the cache key), or null when it cannot be run. */
export function compilerVersion(compiler: string): string | null {
  if (!versions.has(compiler)) {
    const r = spawnSync(compiler, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    versions.set(compiler, r.status === 0 ? r.stdout.trim() : null);
  }
  return versions.get(compiler)!;
}

export function cacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BROKENRECORD_CACHE_DIR) return env.BROKENRECORD_CACHE_DIR;
  const base = env.XDG_CACHE_HOME ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'brokenrecord');
}

export interface CompileOptions {
  variant?: GeneratedVariant;
  compiler?: string;
  cacheDir?: string;
  /**
   * Build with AddressSanitizer and UBSan (the sanitizer suite's generated code); the process that
   * loads the object must have the sanitizer runtimes (the suite preloads libasan).
   */
  sanitize?: boolean;
  /** Child-process limit, milliseconds (default 60 s). */
  timeoutMs?: number;
}

export interface CompiledObject {
  /** The shared object, complete (renamed into place). */
  path: string;
  sourcePath: string;
  /** True when it was already in the cache (no compiler ran). */
  cached: boolean;
  key: string;
}

function atomicWrite(path: string, data: string): void {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export function compileGenerated(source: string, options: CompileOptions = {}): CompiledObject {
  const variant = options.variant ?? 'scalar';
  const compiler = options.compiler ?? findCompiler();
  const dir = options.cacheDir ?? cacheDirectory();
  const flags = [...BASE_FLAGS, ...VARIANT_FLAGS[variant], ...(options.sanitize ? SANITIZE_FLAGS : [])];
  const version = compilerVersion(compiler);
  mkdirSync(dir, { recursive: true });
  const key = createHash('sha256')
    .update(source)
    .update('\0')
    .update(compiler)
    .update('\0')
    .update(version ?? '')
    .update('\0')
    .update(flags.join(' '))
    .digest('hex')
    .slice(0, 32);
  const path = join(dir, `gen-${key}-${variant}.so`);
  const sourcePath = join(dir, `gen-${key}-${variant}.cpp`);
  if (existsSync(path)) return { path, sourcePath, cached: true, key };
  atomicWrite(sourcePath, source);
  if (version === null) {
    throw new GeneratedCompileError(`C++ compiler '${compiler}' cannot be run`, { sourcePath, compiler, flags, output: '' });
  }
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  const r = spawnSync(compiler, [...flags, '-o', tmp, sourcePath], { encoding: 'utf8', timeout: options.timeoutMs ?? 60_000 });
  if (r.status !== 0) {
    rmSync(tmp, { force: true });
    const why = r.error
      ? r.error.message
      : r.signal
        ? `killed by ${r.signal} (time limit ${options.timeoutMs ?? 60_000} ms)`
        : `exit ${r.status}`;
    throw new GeneratedCompileError(`generated code did not compile with ${compiler}: ${why}`, {
      sourcePath,
      compiler,
      flags,
      output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim(),
    });
  }
  renameSync(tmp, path);
  return { path, sourcePath, cached: false, key };
}
