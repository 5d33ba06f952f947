import { ValidationError } from './errors.js';
import type { BackendRequest } from './registry.js';
import { uniformGravity, type Rule } from './rules/index.js';
import { createSimulation } from './simulation.js';
import { ParticleState } from './state.js';
import { defineSystem, type Integrator } from './system.js';

export interface SeedParticle {
  position: ArrayLike<number>;
  velocity?: ArrayLike<number>;
  mass: number;
  radius?: number;
  [key: string]: unknown;
}

export interface SimulateOptions {
  steps?: number;
  dt?: number;
  /** Default: the seed's uniform gravity (0, −9.81, 0). */
  rules?: readonly Rule[];
  integrator?: Integrator;
  backend?: BackendRequest;
  threads?: number;
}

const LIST_KEYS = ['particles', 'bodies', 'molecules'] as const;

/**
 * The seed's one-call API: `{particles | bodies | molecules: [{position, velocity, mass, radius}]}`
 * in, the same shape out with positions and velocities advanced and every other key kept.
 */
export async function simulate<T extends object>(world: T, options: SimulateOptions = {}): Promise<T> {
  if (!world || typeof world !== 'object') throw new ValidationError('world', 'expected an object');
  const key = LIST_KEYS.find((k) => Array.isArray((world as Record<string, unknown>)[k]));
  if (!key) throw new ValidationError('world', `expected a '${LIST_KEYS.join("', '")}' array`);
  const list = (world as Record<string, unknown>)[key] as SeedParticle[];
  list.forEach((p, i) => {
    if (!p || typeof p !== 'object') throw new ValidationError(`${key}[${i}]`, 'expected {position, velocity, mass, radius}');
  });
  const state = ParticleState.from({
    position: list.map((p) => toVec(p.position, `${key}[].position`)),
    velocity: list.map((p) => (p.velocity === undefined ? [0, 0, 0] : toVec(p.velocity, `${key}[].velocity`))),
    mass: list.map((p) => p.mass),
    radius: list.map((p) => p.radius ?? 0),
  });
  const system = defineSystem({ integrator: options.integrator ?? 'euler', rules: options.rules ?? [uniformGravity()] });
  const sim = await createSimulation({
    system,
    state,
    dt: options.dt ?? 0.01,
    backend: options.backend ?? 'auto',
    ...(options.threads ? { threads: options.threads } : {}),
  });
  try {
    await sim.step(options.steps ?? 1000);
    const out = await sim.read();
    const advanced = list.map((p, i) => ({
      ...p,
      position: [out.px[i], out.py[i], out.pz[i]],
      velocity: [out.vx[i], out.vy[i], out.vz[i]],
    }));
    return { ...world, [key]: advanced };
  } finally {
    sim.dispose();
  }
}

function toVec(v: unknown, field: string): [number, number, number] {
  if (!v || typeof v !== 'object' || (v as ArrayLike<number>).length !== 3) throw new ValidationError(field, 'expected [x, y, z]');
  const a = v as ArrayLike<number>;
  return [a[0], a[1], a[2]];
}
