import { totalmem } from 'node:os';
import {
  checkParticleCount,
  createSimulation,
  loadSnapshot,
  ruleToJSON,
  SnapshotError,
  type Integrator,
  type Simulation,
  type SystemDefinition,
} from '@brokenrecord/core';
import { UserError } from '../errors.js';
import { SeededRandom } from '../random.js';
import type { Scenario } from '../scenarios/index.js';

export const DEFAULT_SEED = 1;

export interface SetupFlags {
  backend: string;
  dt?: number;
  particles?: number;
  seed?: number;
  integrator?: Integrator;
  threads?: number;
  resume?: string;
}

/** A simulation ready to step, built from a scenario or resumed from a snapshot of one. */
export async function createScenarioSimulation(scenario: Scenario, flags: SetupFlags): Promise<Simulation> {
  const backend = flags.backend;
  const threads = flags.threads === undefined ? {} : { threads: flags.threads };
  if (flags.resume !== undefined) {
    const clashing = (['dt', 'particles', 'seed', 'integrator'] as const).filter((f) => flags[f] !== undefined);
    if (clashing.length) {
      throw new UserError(`--resume continues the snapshot's own system and state: --${clashing.join(', --')} cannot be changed`);
    }
    const saved = await loadSnapshot(flags.resume).catch((error: unknown) => {
      // Core's message says what is wrong with the bytes; the user also needs to know which file.
      if (error instanceof SnapshotError && !error.message.includes(flags.resume!)) {
        throw new SnapshotError(`${flags.resume}: ${error.message}`);
      }
      throw error;
    });
    checkSameRules(scenario, saved.system, saved.state.count, flags.resume);
    return createSimulation({ system: saved.system, state: saved.state, dt: saved.dt, startStep: saved.step, backend, ...threads });
  }
  if (scenario.fixedParticles && flags.particles !== undefined && flags.particles !== scenario.defaults.particles) {
    throw new UserError(`${scenario.name} has a fixed number of particles (${scenario.defaults.particles}); --particles does not apply`);
  }
  const options = {
    particles: flags.particles ?? scenario.defaults.particles,
    integrator: flags.integrator ?? scenario.defaults.integrator,
  };
  // Before anything is built: the engine's MAX_PARTICLES and what this machine's memory holds.
  checkParticleCount(options.particles, totalmem(), '--particles');
  const system = scenario.system(options);
  const state = scenario.state({ ...options, random: new SeededRandom(flags.seed ?? DEFAULT_SEED) });
  return createSimulation({ system, state, dt: flags.dt ?? scenario.defaults.dt, backend, ...threads });
}

/**
 * The scenario named with `--resume` supplies the tolerances the report judges by; they only make
 * sense for the system they were chosen for, so the snapshot must hold that scenario's rules (with
 * their options) for its particle count. The integrator may differ: `--integrator` chose it.
 */
function checkSameRules(scenario: Scenario, saved: SystemDefinition, particles: number, path: string): void {
  const expected = scenario.system({ particles, integrator: saved.integrator });
  const rules = (s: SystemDefinition) => JSON.stringify(s.rules.map(ruleToJSON));
  if (rules(saved) !== rules(expected) || saved.conserves.join() !== expected.conserves.join()) {
    throw new UserError(
      `${path} was not saved from the ${scenario.name} scenario (its rules: ${rules(saved)}; ${scenario.name}'s: ${rules(expected)})`,
    );
  }
}
