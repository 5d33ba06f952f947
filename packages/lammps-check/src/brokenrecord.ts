/**
 * The same Lennard-Jones configuration run by BrokenRecord through its public API only:
 * `pairForce` with the LJ energy as an expression (forces derived by core), `periodic`, and
 * `ParticleState.from({ ..., attributes })` for per-atom σ and ε when atoms differ.
 *
 * The rule factories are looked up on core's module namespace at run time, so this package builds
 * and its LAMMPS-only checks run against a core that does not offer them; `expressionRuleApi()`
 * then says what is missing.
 */
import * as core from '@brokenrecord/core';
import { createSimulation, defineSystem, ParticleState, type ParticleInput, type Rule } from '@brokenrecord/core';
import { massesOf, speciesColumn, type LjConfiguration } from './configuration.js';

type Vec3 = [number, number, number];

/** `pairForce` options as docs/DESIGN "Rules defined by expressions" defines them. */
export interface PairForceOptions {
  energy: string;
  perParticle?: string[];
  parameters?: Record<string, number>;
  cutoff?: number;
  shift?: boolean;
  exclude?: 'bonds';
}

export interface PeriodicOptions {
  min: Vec3;
  max: Vec3;
}

export interface ExpressionRuleApi {
  pairForce(options: PairForceOptions): Rule;
  periodic(options: PeriodicOptions): Rule;
}

/** Core's `pairForce` and `periodic`, or why they cannot be used. */
export function expressionRuleApi(): ExpressionRuleApi | { missing: string } {
  const exports = core as unknown as Record<string, unknown>;
  const absent = ['pairForce', 'periodic'].filter((name) => typeof exports[name] !== 'function');
  if (absent.length) return { missing: `@brokenrecord/core does not export ${absent.join(' or ')} (the expression rules of DESIGN.md)` };
  return { pairForce: exports.pairForce as ExpressionRuleApi['pairForce'], periodic: exports.periodic as ExpressionRuleApi['periodic'] };
}

export const LJ_ENERGY = '4*eps*((sig/r)^12 - (sig/r)^6)';
/** σ and ε per atom, mixed per pair as LAMMPS `pair_modify mix arithmetic` (Lorentz–Berthelot). */
export const LJ_MIXED_ENERGY = `${LJ_ENERGY}; sig = 0.5*(sigma1+sigma2); eps = sqrt(epsilon1*epsilon2)`;

/** True when every atom has the same species: σ and ε are then `parameters`, else per-atom columns. */
function singleSpecies(config: LjConfiguration): boolean {
  return config.species.length === 1;
}

/** `pairForce` (plain truncation at the cutoff, as `lj/cut`) and `periodic` over the box. */
export function ljRules(config: LjConfiguration, api: ExpressionRuleApi): Rule[] {
  const pair = singleSpecies(config)
    ? api.pairForce({
        energy: LJ_ENERGY,
        parameters: { eps: config.species[0].epsilon, sig: config.species[0].sigma },
        cutoff: config.cutoff,
      })
    : api.pairForce({ energy: LJ_MIXED_ENERGY, perParticle: ['sigma', 'epsilon'], cutoff: config.cutoff });
  return [pair, api.periodic({ min: [0, 0, 0], max: [config.box, config.box, config.box] })];
}

/** The configuration as a ParticleState (float32 columns hold the very same numbers). */
export function ljState(config: LjConfiguration, options: { atRest?: boolean } = {}): ParticleState {
  const input: ParticleInput & { attributes?: Record<string, ArrayLike<number>> } = {
    position: config.position,
    velocity: options.atRest ? new Float64Array(3 * config.n) : config.velocity,
    mass: massesOf(config),
  };
  if (!singleSpecies(config)) input.attributes = { sigma: speciesColumn(config, 'sigma'), epsilon: speciesColumn(config, 'epsilon') };
  const state = ParticleState.from(input);
  if (input.attributes) {
    const attribute = (state as unknown as { attribute?: (name: string) => Float32Array }).attribute;
    if (typeof attribute !== 'function') throw new Error('ParticleState has no attributes (state.attribute) yet');
    for (const name of Object.keys(input.attributes)) {
      if (attribute.call(state, name)?.length !== config.n) throw new Error(`ParticleState.from dropped the '${name}' attribute`);
    }
  }
  return state;
}

export interface BackendChoice {
  backend: string;
  threads?: number;
}

export interface BrokenRecordLjResult {
  backend: string;
  potential0: number;
  kinetic0: number;
  force0: Float64Array;
  position1: Float64Array;
  velocity1: Float64Array;
  potential1: number;
  kinetic1: number;
}

/**
 * How forces are read through the public API, which has no force readout: a semi-implicit Euler
 * step (`v += a·dt` before `x += v·dt`) from rest gives v₁ = a(x₀)·dt, the acceleration at the
 * initial positions. With dt = 2⁻¹⁰ the product and the division below are exact in binary
 * floating point, so F = m·v₁/dt is the backend's float32 acceleration times the mass, untouched.
 */
export const FORCE_PROBE_DT = 2 ** -10;

/**
 * Runs the configuration on one backend: potential energy from `diagnostics()` at step 0, forces
 * from one Euler step at rest (see FORCE_PROBE_DT), then `steps` velocity-Verlet steps of `dt`
 * from the configuration's own velocities.
 */
export async function brokenRecordLj(
  config: LjConfiguration,
  choice: BackendChoice,
  steps: number,
  dt: number,
): Promise<BrokenRecordLjResult> {
  const api = expressionRuleApi();
  if ('missing' in api) throw new Error(api.missing);
  const options = { backend: choice.backend, ...(choice.threads ? { threads: choice.threads } : {}) };

  const probe = await createSimulation({
    system: defineSystem({ integrator: 'euler', rules: ljRules(config, api) }),
    state: ljState(config, { atRest: true }),
    dt: FORCE_PROBE_DT,
    ...options,
  });
  let force0: Float64Array;
  try {
    if (probe.backend !== choice.backend) throw new Error(`ran on ${probe.backend}, not ${choice.backend}`);
    await probe.step(1);
    const s = await probe.read();
    force0 = new Float64Array(3 * config.n);
    const v = [s.vx, s.vy, s.vz];
    for (let i = 0; i < config.n; i++) for (let k = 0; k < 3; k++) force0[3 * i + k] = (s.mass[i] * v[k][i]) / FORCE_PROBE_DT;
  } finally {
    probe.dispose();
  }

  const sim = await createSimulation({
    system: defineSystem({ integrator: 'verlet', rules: ljRules(config, api) }),
    state: ljState(config),
    dt,
    ...options,
  });
  try {
    if (sim.backend !== choice.backend) throw new Error(`ran on ${sim.backend}, not ${choice.backend}`);
    const d0 = await sim.diagnostics();
    await sim.step(steps);
    const d1 = await sim.diagnostics();
    const s = await sim.read();
    const position1 = new Float64Array(3 * config.n);
    const velocity1 = new Float64Array(3 * config.n);
    for (let i = 0; i < config.n; i++) {
      position1.set([s.px[i], s.py[i], s.pz[i]], 3 * i);
      velocity1.set([s.vx[i], s.vy[i], s.vz[i]], 3 * i);
    }
    return {
      backend: sim.backend,
      potential0: d0.potential,
      kinetic0: d0.kinetic,
      force0,
      position1,
      velocity1,
      potential1: d1.potential,
      kinetic1: d1.kinetic,
    };
  } finally {
    sim.dispose();
  }
}
