import { SCENARIOS as ALL, SeededRandom, type Scenario as Setup } from '@brokenrecord/cli/scenarios';
import type { ParticleState, SystemDefinition } from '@brokenrecord/core';

export { SeededRandom };

/**
 * A set-up the page can run: the command-line tool's scenarios (one definition of each physics
 * set-up), with what the page adds: a bound on the particle input, since all-pairs gravity is
 * O(n²) per step in a browser.
 */
export interface Scenario {
  readonly name: string;
  readonly summary: string;
  readonly dt: number;
  readonly defaultParticles: number;
  /** True when the count is part of the scenario: the particle input is then disabled. */
  readonly fixedParticles: boolean;
  readonly maxParticles: number;
  system(particles: number): SystemDefinition;
  state(particles: number, random: SeededRandom): ParticleState;
}

const MAX_PARTICLES: Record<string, number> = {
  'solar-system': 4,
  galaxy: 20_000,
  cluster: 20_000,
  'collision-box': 100_000,
};

function forPage(setup: Setup): Scenario {
  const integrator = setup.defaults.integrator;
  return {
    name: setup.name,
    summary: setup.summary,
    dt: setup.defaults.dt,
    defaultParticles: setup.defaults.particles,
    fixedParticles: setup.fixedParticles,
    maxParticles: MAX_PARTICLES[setup.name],
    system: (particles) => setup.system({ particles, integrator }),
    state: (particles, random) => setup.state({ particles, integrator, random }),
  };
}

/** The seed benchmark (10,000 particles falling for ever) is left out: nothing to watch. */
export const SCENARIOS: readonly Scenario[] = ALL.filter((s) => s.name in MAX_PARTICLES).map(forPage);

export function findScenario(name: string): Scenario {
  return SCENARIOS.find((s) => s.name === name) ?? SCENARIOS[0];
}
