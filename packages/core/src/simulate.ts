import { ValidationError } from './errors.js';
import type { BackendRequest } from './registry.js';
import { uniformGravity, type Rule } from './rules/index.js';
import { createSimulation } from './simulation.js';
import { checkStepsPerCall } from './limits.js';
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
const OPTION_KEYS = ['steps', 'dt', 'rules', 'integrator', 'backend', 'threads'];

/**
 * simulate()'s options as given: an unknown key (a typo such as `stepz`) or an explicit
 * null/undefined-like value where a number is expected is a ValidationError, never a silent default.
 * Only a key that is absent (or `undefined`) takes its default.
 */
function checkSimulateOptions(options: unknown): SimulateOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValidationError('options', 'expected an object { steps, dt, rules, integrator, backend, threads }');
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) throw new ValidationError(`options.${key}`, `unknown option (known: ${OPTION_KEYS.join(', ')})`);
  }
  return options as SimulateOptions;
}

/**
 * The seed's one-call API: `{particles | bodies | molecules: [{position, velocity, mass, radius}]}`
 * in, the same shape out with positions and velocities advanced and every other key kept.
 */
export async function simulate<T extends object>(world: T, given?: SimulateOptions): Promise<T> {
  const options = checkSimulateOptions(given);
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
  const system = defineSystem({
    integrator: options.integrator === undefined ? 'euler' : options.integrator,
    rules: options.rules === undefined ? [uniformGravity()] : options.rules,
  });
  // Every given value goes to the checks as it is (dt: null, threads: 0 are errors, not defaults).
  const steps = options.steps === undefined ? 1000 : checkStepsPerCall(options.steps);
  const sim = await createSimulation({
    system,
    state,
    dt: options.dt === undefined ? 0.01 : options.dt,
    backend: options.backend === undefined ? 'auto' : options.backend,
    ...(options.threads === undefined ? {} : { threads: options.threads }),
  });
  let failed = false;
  try {
    await sim.step(steps);
    const out = await sim.read();
    const advanced = list.map((p, i) => ({
      ...p,
      position: [out.px[i], out.py[i], out.pz[i]],
      velocity: [out.vx[i], out.vy[i], out.vz[i]],
    }));
    return { ...world, [key]: advanced };
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    // Freed before the result is returned; a failure to free is reported unless an error already is.
    const disposal = sim.dispose();
    if (failed) await disposal.catch(() => undefined);
    else await disposal;
  }
}

function toVec(v: unknown, field: string): [number, number, number] {
  if (!v || typeof v !== 'object' || (v as ArrayLike<number>).length !== 3) throw new ValidationError(field, 'expected [x, y, z]');
  const a = v as ArrayLike<number>;
  return [a[0], a[1], a[2]];
}
