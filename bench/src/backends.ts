import { fileURLToPath } from 'node:url';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
/**
 * Backend rows, measured only through the public API: the simulation is created (and its initial
 * state snapshotted) outside the clock, and only `await sim.step(steps)` is timed. Between runs
 * `sim.restore()` puts the state back without recreating the backend, so worker threads and
 * compiled code stay warm and every run computes the same steps.
 */
import { performance } from 'node:perf_hooks';
import {
  BackendUnavailableError,
  createSimulation,
  defineSystem,
  listBackends,
  pairForce,
  type Rule,
  type Simulation,
} from '@brokenrecord/core';
import { finalStateOf, type Energies } from './check.js';
import { measureRepeated } from './measure.js';
import { errorMessage, type Runner } from './runner.js';
import { formatSeconds } from './table.js';
import { NotApplicable, rulesOf, type Workload } from './workload.js';

export interface BackendRowOptions {
  backend: string;
  /** Passed as `threads`; undefined leaves the backend's own default. */
  threads?: number;
  id?: string;
  label?: string;
  /** The workloads this row runs (default: every one). */
  appliesTo?: (workload: Workload) => boolean;
  /** Rules other than the workload's own, for the same physics written another way. */
  rules?: (workload: Workload) => Rule[];
  /** Environment variables set while the simulation is created (e.g. a backend's path choice). */
  env?: Record<string, string>;
}

export function backendRunner(options: BackendRowOptions): Runner {
  const { backend, threads } = options;
  return {
    id: options.id ?? (threads ? `${backend}-${threads}t` : backend),
    label: options.label ?? `${backend} backend${threads ? `, threads: ${threads}` : ''}`,
    kind: 'backend',
    ...(options.appliesTo ? { appliesTo: options.appliesTo } : {}),
    async measure(workload, plan) {
      const create = () =>
        withEnvironment(options.env, () =>
          createSimulation({
            system: defineSystem({
              integrator: workload.integrator ?? 'euler',
              rules: options.rules ? options.rules(workload) : rulesOf(workload.physics),
            }),
            state: workload.createState(),
            dt: workload.dt,
            backend,
            ...(threads ? { threads } : {}),
          }),
        );
      let sim: Simulation;
      const started = performance.now();
      try {
        sim = await create();
      } catch (error) {
        // A rule the core or the backend does not offer (yet) is not a failure of the bench.
        const missing = error instanceof NotApplicable || error instanceof BackendUnavailableError;
        return { status: missing ? 'n/a' : 'skipped', reason: errorMessage(error) };
      }
      const firstCreate = (performance.now() - started) / 1000;
      try {
        if (sim.backend !== backend) return { status: 'n/a', reason: `ran on ${sim.backend}, not ${backend}` };
        const detail = workload.timeCreate ? await timeCachedCreate(`${backend}:${workload.id}`, firstCreate, create) : undefined;
        const initial = await sim.snapshot();
        const before = workload.energyCheck ? await sim.diagnostics() : null;
        const stats = await measureRepeated(plan, {
          reset: () => sim.restore(initial),
          run: () => sim.step(workload.steps),
        });
        const after = workload.energyCheck ? await sim.diagnostics() : null;
        const state = await sim.read();
        const final = finalStateOf(state.count, (i) => [state.px[i], state.py[i], state.pz[i]]);
        if (before && after) final.energy = { potential0: before.potential, total0: before.total, total1: after.total } satisfies Energies;
        return { status: 'ok', stats, final, ...(detail ? { detail } : {}) };
      } catch (error) {
        return { status: 'failed', reason: errorMessage(error) };
      } finally {
        sim.dispose();
      }
    },
  };
}

/**
 * What compiling a system costs: `first` is the createSimulation that brought this system to the
 * backend (code generation and compilation included for generated backends), then a second
 * createSimulation of the same system, defined anew, shows what a cache saves.
 */
async function timeCachedCreate(key: string, first: number, create: () => Promise<Simulation>): Promise<string> {
  const seenBefore = created.has(key);
  created.add(key);
  const started = performance.now();
  const again = await create();
  const second = (performance.now() - started) / 1000;
  again.dispose();
  const firstText = seenBefore
    ? `${formatSeconds(first)} (an earlier row created it on this backend already)`
    : `${formatSeconds(first)} the first time in this process`;
  return `createSimulation ${firstText}, ${formatSeconds(second)} for the same system defined again`;
}

/** Backend and workload pairs whose system was created already in this process. */
const created = new Set<string>();

/** Imports the TypeScript backend (it registers itself); a missing or broken build becomes a row reason. */
export async function loadTsBackend(): Promise<string | null> {
  // A specifier in a variable keeps the bench compiling (and its reference rows running) even
  // while the backend package is absent or unbuilt.
  const specifier = '@brokenrecord/backend-ts';
  try {
    await import(specifier);
    return null;
  } catch (error) {
    return `${specifier} could not be loaded: ${errorMessage(error)}`;
  }
}

/**
 * The TypeScript backend single-threaded and with 2 worker threads, then every other backend
 * `listBackends()` reports available, each at its own default thread count: a new backend shows
 * up in the table without touching the bench.
 */
export async function backendRunners(): Promise<{ runners: Runner[]; unavailable: string[] }> {
  useRepositorySoftwareVulkan();
  useFreshCodeCache();
  const runners = [
    backendRunner({ backend: 'ts', threads: 1, id: 'ts', label: 'ts backend, 1 thread' }),
    backendRunner({ backend: 'ts', threads: 2, id: 'ts-2t', label: 'ts backend, threads: 2' }),
  ];
  const unavailable: string[] = [];
  for (const info of await listBackends()) {
    if (info.name === 'ts') continue;
    if (!info.available) unavailable.push(`${info.name}: ${info.reason ?? 'unavailable'}`);
    else if (info.name === 'avx2') runners.push(...avx2Runners());
    else runners.push(backendRunner({ backend: info.name }));
  }
  return { runners, unavailable };
}

const isB4 = (workload: Workload) => workload.physics.kernel === 'lennardJones';
const isB2 = (workload: Workload) => workload.physics.kernel === 'pairGravity';

/**
 * avx2 at its default thread count, except B4 (code generated for the Lennard-Jones rule), which
 * gets a row at 1 and at 2 threads to set beside the C reference's and LAMMPS's; and in B2 a row
 * whose gravity is a pairForce with the preset's energy, so the generated all-pairs loop stands
 * beside the hand-written kernel.
 */
function avx2Runners(): Runner[] {
  return [
    backendRunner({ backend: 'avx2', appliesTo: (w) => !isB4(w) }),
    backendRunner({ backend: 'avx2', threads: 1, id: 'avx2-1t', label: 'avx2 backend, 1 thread', appliesTo: isB4 }),
    backendRunner({ backend: 'avx2', threads: 2, id: 'avx2-2t', label: 'avx2 backend, threads: 2', appliesTo: isB4 }),
    // The same rule through the addon's interpreter (the path of a machine without a C++ compiler).
    backendRunner({
      backend: 'avx2',
      threads: 1,
      id: 'avx2-interp-1t',
      label: 'avx2 backend, 1 thread, expression terms interpreted',
      appliesTo: isB4,
      env: { BROKENRECORD_AVX2_CODEGEN: 'interpreter' },
    }),
    backendRunner({
      backend: 'avx2',
      id: 'avx2-pairforce',
      label: 'avx2, gravity as pairForce (generated)',
      appliesTo: isB2,
      rules: (w) => {
        if (w.physics.kernel !== 'pairGravity') throw new NotApplicable('not a gravity workload');
        return [gravityAsPairForce(w.physics.G, w.physics.softening)];
      },
    }),
  ];
}

/** Runs `make` with `env` set, then puts the variables back (created simulations keep what they chose). */
async function withEnvironment<T>(env: Record<string, string> | undefined, make: () => Promise<T>): Promise<T> {
  if (!env) return make();
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await make();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** pairwiseGravity written as an expression: U = −G·m1·m2/sqrt(r² + ε²), no cutoff (every pair). */
function gravityAsPairForce(G: number, softening: number): Rule {
  return pairForce({ energy: '-G*m1*m2/sqrt(r^2+eps2)', parameters: { G, eps2: softening * softening } });
}

/**
 * Code generated for a system (avx2's compiled expression rules) is cached on disk across
 * processes. The bench points the cache at a directory of its own, emptied at exit, so that B4's
 * first createSimulation is a real compile and the second a cached load, as the printed figures
 * say; unless the caller chose a cache (BROKENRECORD_CACHE_DIR).
 */
function useFreshCodeCache(): void {
  if (process.env.BROKENRECORD_CACHE_DIR) return;
  const dir = mkdtempSync(join(tmpdir(), 'brokenrecord-bench-code-'));
  process.env.BROKENRECORD_CACHE_DIR = dir;
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
}

/**
 * On a machine without a GPU the WebGPU backend runs on the software Vulkan driver that its
 * install-lavapipe script unpacks into the repository; the tests point the Vulkan loader at it in
 * their config, and the bench does the same here, unless a driver was chosen explicitly.
 */
function useRepositorySoftwareVulkan(): void {
  if (process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES) return;
  const icd = fileURLToPath(new URL('../../packages/backend-webgpu/.vendor/lvp_icd.json', import.meta.url));
  if (existsSync(icd)) process.env.VK_ICD_FILENAMES = icd;
}
