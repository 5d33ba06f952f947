// Importing a backend package registers it: core's automatic discovery only runs in Node, so the
// page names the two it can use itself.
import '@brokenrecord/backend-ts';
import '@brokenrecord/backend-webgpu';
import {
  createSimulation,
  listBackends,
  type BackendInfo,
  type ParticleState,
  type Simulation,
  type SystemDefinition,
} from '@brokenrecord/core';

/**
 * WebGPU first, TypeScript second, named explicitly rather than 'auto': on a software adapter the
 * WebGPU probe ranks itself below native CPU code, and the page is meant to show the GPU path
 * whenever the browser has one.
 */
export const PREFERENCE = ['webgpu', 'ts'] as const;

export interface BackendChoice {
  simulation: Simulation;
  /** One sentence: why this backend runs the page. */
  why: string;
  backends: BackendInfo[];
}

export async function startSimulation(system: SystemDefinition, state: ParticleState, dt: number): Promise<BackendChoice> {
  const backends = await listBackends();
  const simulation = await createSimulation({ system, state, dt, backend: [...PREFERENCE] });
  return { simulation, why: explain(simulation.backend, backends), backends };
}

function explain(chosen: string, backends: BackendInfo[]): string {
  const webgpu = backends.find((b) => b.name === 'webgpu');
  if (chosen === 'webgpu') {
    const adapter = webgpu?.features.find((f) => f.startsWith('adapter:'));
    return `this browser offers WebGPU${adapter ? ` (${adapter})` : ''}`;
  }
  if (!webgpu) return 'the WebGPU backend is not registered';
  if (!webgpu.available) return `WebGPU is unavailable: ${webgpu.reason ?? 'no reason given'}`;
  return `WebGPU is available but does not implement every rule of this scenario`;
}
