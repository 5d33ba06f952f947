import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
/**
 * Backend rows, measured only through the public API: the simulation is created (and its initial
 * state snapshotted) outside the clock, and only `await sim.step(steps)` is timed. Between runs
 * `sim.restore()` puts the state back without recreating the backend, so worker threads and
 * compiled code stay warm and every run computes the same steps.
 */
import { createSimulation, defineSystem, listBackends, type Simulation } from '@brokenrecord/core';
import { finalStateOf } from './check.js';
import { measureRepeated } from './measure.js';
import { errorMessage, type Runner } from './runner.js';
import { rulesOf } from './workload.js';

export interface BackendRowOptions {
  backend: string;
  /** Passed as `threads`; undefined leaves the backend's own default. */
  threads?: number;
  id?: string;
  label?: string;
}

export function backendRunner(options: BackendRowOptions): Runner {
  const { backend, threads } = options;
  return {
    id: options.id ?? (threads ? `${backend}-${threads}t` : backend),
    label: options.label ?? `${backend} backend${threads ? `, threads: ${threads}` : ''}`,
    kind: 'backend',
    async measure(workload, plan) {
      let sim: Simulation;
      try {
        const system = defineSystem({ integrator: 'euler', rules: rulesOf(workload.physics) });
        sim = await createSimulation({
          system,
          state: workload.createState(),
          dt: workload.dt,
          backend,
          ...(threads ? { threads } : {}),
        });
      } catch (error) {
        return { status: 'skipped', reason: errorMessage(error) };
      }
      try {
        if (sim.backend !== backend) return { status: 'skipped', reason: `ran on ${sim.backend}, not ${backend}` };
        const initial = await sim.snapshot();
        const stats = await measureRepeated(plan, {
          reset: () => sim.restore(initial),
          run: () => sim.step(workload.steps),
        });
        const state = await sim.read();
        const final = finalStateOf(state.count, (i) => [state.px[i], state.py[i], state.pz[i]]);
        return { status: 'ok', stats, final };
      } catch (error) {
        return { status: 'failed', reason: errorMessage(error) };
      } finally {
        sim.dispose();
      }
    },
  };
}

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
  const runners = [
    backendRunner({ backend: 'ts', threads: 1, id: 'ts', label: 'ts backend, 1 thread' }),
    backendRunner({ backend: 'ts', threads: 2, id: 'ts-2t', label: 'ts backend, threads: 2' }),
  ];
  const unavailable: string[] = [];
  for (const info of await listBackends()) {
    if (info.name === 'ts') continue;
    if (info.available) runners.push(backendRunner({ backend: info.name }));
    else unavailable.push(`${info.name}: ${info.reason ?? 'unavailable'}`);
  }
  return { runners, unavailable };
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
