/**
 * Reference: hand-written plain C (bench/c/<program>.c), compiled at bench time with the system
 * compiler for this very CPU and cached under bench/.cache by a hash of sources, flags and compiler.
 * The programs time their own kernel (clock_gettime around the step loop only) and print one JSON
 * line, so process start-up and state set-up never count.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Energies, FinalState } from '../check.js';
import { summarize } from '../measure.js';
import { errorMessage, type Runner } from '../runner.js';
import type { Vec3 } from '../workload.js';

const run = promisify(execFile);

const BENCH_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_DIR = join(BENCH_ROOT, 'c');
const CACHE_DIR = join(BENCH_ROOT, '.cache');
const SHARED_HEADERS = ['common.h'];

/**
 * -fno-math-errno: without it GCC keeps sqrtf's errno side effect and refuses to vectorise any
 * loop that takes a square root (B2's inner loop would run scalar). No program reads errno.
 */
export const C_FLAGS = ['-O3', '-march=native', '-fno-math-errno'];
const OPENMP_FLAG = '-fopenmp';

export interface Compiler {
  command: string;
  /** First line of `--version`, part of the cache key and printed in the header. */
  version: string;
}

let compilerLookup: Promise<Compiler | { missing: string }> | null = null;

/** The compiler named by $CC, else `cc`; a missing one is a reason, not an error. */
export function findCompiler(): Promise<Compiler | { missing: string }> {
  compilerLookup ??= (async () => {
    const command = process.env.CC || 'cc';
    try {
      const { stdout } = await run(command, ['--version']);
      return { command, version: stdout.split('\n')[0].trim() };
    } catch (error) {
      const code = (error as { code?: string }).code;
      return {
        missing:
          code === 'ENOENT'
            ? `no C compiler found (${command}; set CC to use another)`
            : `${command} --version failed: ${errorMessage(error)}`,
      };
    }
  })();
  return compilerLookup;
}

type Build = { binary: string } | { error: string };
const builds = new Map<string, Promise<Build>>();

async function compile(compiler: Compiler, program: string, openmp: boolean): Promise<Build> {
  const flags = openmp ? [...C_FLAGS, OPENMP_FLAG] : C_FLAGS;
  const source = join(SOURCE_DIR, `${program}.c`);
  const hash = createHash('sha256').update(`${compiler.command}\n${compiler.version}\n${flags.join(' ')}\n`);
  for (const file of [source, ...SHARED_HEADERS.map((h) => join(SOURCE_DIR, h))]) hash.update(await readFile(file));
  const binary = join(CACHE_DIR, `${program}${openmp ? '-omp' : ''}-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(binary)) return { binary };
  await mkdir(CACHE_DIR, { recursive: true });
  // Compile beside the target and rename: an interrupted build never leaves a half-written binary.
  const partial = `${binary}.${process.pid}.tmp`;
  try {
    await run(compiler.command, [...flags, '-o', partial, source, '-lm']);
    await rename(partial, binary);
    return { binary };
  } catch (error) {
    await rm(partial, { force: true });
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim();
    const first = stderr.split('\n').find((line) => /error/i.test(line)) ?? stderr.split('\n')[0] ?? '';
    return { error: `${compiler.command} ${flags.join(' ')} failed${first ? `: ${first}` : `: ${errorMessage(error)}`}` };
  }
}

function build(compiler: Compiler, program: string, openmp: boolean): Promise<Build> {
  const key = `${program}:${openmp}`;
  let pending = builds.get(key);
  if (!pending) {
    pending = compile(compiler, program, openmp);
    builds.set(key, pending);
  }
  return pending;
}

interface ProgramOutput {
  threads: number;
  warmup: number;
  seconds: number[];
  checksum: number;
  sample: Vec3[];
  /** B4: energies the program computed with its own kernel, outside the clock. */
  energy?: Energies;
}

/** A C row: `threads === 1` is the plain single-threaded build, more threads use the OpenMP build. */
export function cRunner(threads: number): Runner {
  const openmp = threads > 1;
  return {
    id: openmp ? `c-omp${threads}` : 'c',
    label: openmp ? `C -O3 -march=native -fopenmp, ${threads} threads` : 'C -O3 -march=native, 1 thread',
    kind: 'reference',
    async measure(workload, plan) {
      const compiler = await findCompiler();
      if ('missing' in compiler) return { status: 'skipped', reason: compiler.missing };
      const built = await build(compiler, workload.c.program, openmp);
      if ('error' in built) return { status: 'skipped', reason: built.error };
      const args = [workload.n, workload.steps, workload.dt, ...workload.c.args, plan.repeats, threads].map(String);
      try {
        const { stdout } = await run(built.binary, args, { maxBuffer: 1 << 20 });
        const output = JSON.parse(stdout.trim().split('\n').pop() ?? '') as ProgramOutput;
        if (output.threads !== threads) {
          return { status: 'skipped', reason: `built without OpenMP: ran ${output.threads} thread(s), not ${threads}` };
        }
        const final: FinalState = { sample: output.sample, checksum: output.checksum, ...(output.energy ? { energy: output.energy } : {}) };
        return { status: 'ok', stats: summarize(output.seconds), final };
      } catch (error) {
        return { status: 'failed', reason: `${workload.c.program} ${args.join(' ')}: ${errorMessage(error)}` };
      }
    },
  };
}
