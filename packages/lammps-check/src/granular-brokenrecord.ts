/**
 * The granular comparison run by BrokenRecord through its public API: `contacts({ model: 'hooke' })`
 * with velocity Verlet, no other rule, the state read back every `every` steps.
 */
import { contacts, createSimulation, defineSystem, ParticleState } from '@brokenrecord/core';
import type { BackendChoice } from './brokenrecord.js';
import type { GranularConfiguration, GranularTrajectory } from './granular-configuration.js';

export function granularState(config: GranularConfiguration): ParticleState {
  const { n, position, velocity, radius, mass } = config;
  const triple = (a: Float64Array, i: number): [number, number, number] => [a[3 * i], a[3 * i + 1], a[3 * i + 2]];
  return ParticleState.from({
    position: Array.from({ length: n }, (_, i) => triple(position, i)),
    velocity: Array.from({ length: n }, (_, i) => triple(velocity, i)),
    mass: Array.from(mass),
    radius: Array.from(radius),
  });
}

export async function brokenRecordGranular(
  config: GranularConfiguration,
  choice: BackendChoice,
  steps: number,
  dt: number,
  every: number,
): Promise<GranularTrajectory & { backend: string; contactsSeen: number }> {
  const system = defineSystem({
    integrator: 'verlet',
    rules: [contacts({ model: 'hooke', stiffness: config.stiffness, damping: config.damping })],
  });
  const sim = await createSimulation({ system, state: granularState(config), dt, ...choice });
  try {
    const frames: GranularTrajectory['frames'] = [];
    const touching = new Set<number>();
    const record = async () => {
      const s = await sim.read();
      const position = new Float64Array(3 * s.count);
      const velocity = new Float64Array(3 * s.count);
      for (let i = 0; i < s.count; i++) {
        position.set([s.px[i], s.py[i], s.pz[i]], 3 * i);
        velocity.set([s.vx[i], s.vy[i], s.vz[i]], 3 * i);
      }
      for (let i = 0; i < s.count; i++)
        for (let j = i + 1; j < s.count; j++)
          if (Math.hypot(s.px[j] - s.px[i], s.py[j] - s.py[i], s.pz[j] - s.pz[i]) < s.radius[i] + s.radius[j])
            touching.add(i * s.count + j);
      frames.push({ position, velocity });
    };
    await record();
    for (let done = 0; done < steps; done += every) {
      await sim.step(every);
      await record();
    }
    return { every, frames, backend: sim.backend, contactsSeen: touching.size };
  } finally {
    await sim.dispose();
  }
}
