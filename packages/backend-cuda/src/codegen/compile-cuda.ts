import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDirectory, GeneratedCompileError } from '@brokenrecord/native-common/codegen';

/**
 * The device module of a generated CUDA source (emit-cuda.ts), compiled once per (source, compiler,
 * flags, architecture) into native-common's cache (`BROKENRECORD_CACHE_DIR`, the same naming by hash
 * and atomic renames as the CPU objects): with NVRTC in process where the library exists (the addon
 * opens it at run time), else with `nvcc` on PATH. The rounding policy of the hand-written kernels:
 * no contraction (--fmad=false).
 */

/** What compiles device code here: NVRTC (through the addon), nvcc, or why neither. */
export type DeviceCompiler = { kind: 'nvrtc'; version: string } | { kind: 'nvcc'; command: string; version: string };

/** The addon's NVRTC, as native.ts declares it. */
export interface NvrtcAddon {
  nvrtcReport(): { available: boolean; version: string; reason: string };
  compileNvrtc(source: string, name: string, options: string[]): { image?: Uint8Array; log: string; error?: string };
}

/** nvcc as CMake finds it for the addon's own build: `CUDACXX`, else `nvcc` on PATH. */
export function findNvcc(env: NodeJS.ProcessEnv = process.env): string {
  const cudacxx = env.CUDACXX?.trim();
  return cudacxx ? cudacxx : 'nvcc';
}

const nvccVersions = new Map<string, string | { reason: string }>();

function nvccVersion(command: string): string | { reason: string } {
  if (!nvccVersions.has(command)) {
    const r = spawnSync(command, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    nvccVersions.set(command, r.status === 0 ? r.stdout.trim() : { reason: r.error ? r.error.message : `exit ${r.status}` });
  }
  return nvccVersions.get(command)!;
}

/** NVRTC when the addon opened it, else nvcc; a reason naming both failures otherwise. */
export function findDeviceCompiler(addon: NvrtcAddon | null, env: NodeJS.ProcessEnv = process.env): DeviceCompiler | { reason: string } {
  const nvrtc = addon?.nvrtcReport();
  if (nvrtc?.available) return { kind: 'nvrtc', version: nvrtc.version };
  const command = findNvcc(env);
  const version = nvccVersion(command);
  if (typeof version === 'string') return { kind: 'nvcc', command, version };
  const why = nvrtc ? nvrtc.reason : 'the addon is not loaded';
  return { reason: `no CUDA compiler for the generated terms: ${why}, and '${command}' cannot be run (${version.reason})` };
}

/**
 * nvcc's flags: a fatbin holding the cubin of the device's architecture and its PTX (for a newer
 * driver's JIT). Warnings are not errors here (another nvcc may warn differently); the tests
 * compile the same source with -Werror.
 */
export function nvccFlags(arch: string): string[] {
  return ['-fatbin', `-gencode=arch=compute_${arch},code=[sm_${arch},compute_${arch}]`, '-O3', '--fmad=false'];
}

export function nvrtcOptions(arch: string): string[] {
  return [`--gpu-architecture=sm_${arch}`, '--fmad=false', '-std=c++17'];
}

export interface CompiledModule {
  image: Uint8Array;
  path: string;
  sourcePath: string;
  cached: boolean;
}

function atomicWrite(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * Compiles for compute capability `arch` ("90" for 9.0). Throws GeneratedCompileError (source kept)
 * when the compiler rejects the source or cannot run.
 */
export function compileDeviceModule(
  source: string,
  arch: string,
  compiler: DeviceCompiler,
  addon: NvrtcAddon | null,
  options: { cacheDir?: string; timeoutMs?: number } = {},
): CompiledModule {
  const dir = options.cacheDir ?? cacheDirectory();
  const flags = compiler.kind === 'nvcc' ? nvccFlags(arch) : nvrtcOptions(arch);
  const name = compiler.kind === 'nvcc' ? compiler.command : 'nvrtc';
  mkdirSync(dir, { recursive: true });
  const key = createHash('sha256')
    .update(source)
    .update('\0')
    .update(name)
    .update('\0')
    .update(compiler.version)
    .update('\0')
    .update(flags.join(' '))
    .digest('hex')
    .slice(0, 32);
  const path = join(dir, `gen-${key}-sm_${arch}.${compiler.kind === 'nvcc' ? 'fatbin' : 'cubin'}`);
  const sourcePath = join(dir, `gen-${key}-sm_${arch}.cu`);
  if (existsSync(path)) return { image: new Uint8Array(readFileSync(path)), path, sourcePath, cached: true };
  atomicWrite(sourcePath, source);
  if (compiler.kind === 'nvrtc') {
    if (!addon) throw new GeneratedCompileError('NVRTC needs the addon', { sourcePath, compiler: name, flags, output: '' });
    const r = addon.compileNvrtc(source, sourcePath, flags);
    if (!r.image) {
      throw new GeneratedCompileError(`generated CUDA did not compile with NVRTC ${compiler.version}: ${r.error ?? 'no image'}`, {
        sourcePath,
        compiler: name,
        flags,
        output: r.log.trim(),
      });
    }
    atomicWrite(path, r.image);
    return { image: r.image, path, sourcePath, cached: false };
  }
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  const timeout = options.timeoutMs ?? 120_000;
  const r = spawnSync(compiler.command, [...flags, '-o', tmp, sourcePath], { encoding: 'utf8', timeout });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.status !== 0) {
    rmSync(tmp, { force: true });
    const why = r.error ? r.error.message : r.signal ? `killed by ${r.signal} (time limit ${timeout} ms)` : `exit ${r.status}`;
    throw new GeneratedCompileError(`generated CUDA did not compile with ${compiler.command}: ${why}`, {
      sourcePath,
      compiler: name,
      flags,
      output,
    });
  }
  renameSync(tmp, path);
  return { image: new Uint8Array(readFileSync(path)), path, sourcePath, cached: false };
}
