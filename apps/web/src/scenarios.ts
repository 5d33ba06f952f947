import { SCENARIOS as ALL, SeededRandom, type Readout, type Scenario as Setup } from '@brokenrecord/cli/scenarios';
import type { Diagnostics, GravityMethod, ParticleState, SystemDefinition } from '@brokenrecord/core';
import { withGravityMethod } from './gravity-method';

export { SeededRandom };
export type { Readout };

/**
 * A set-up the page can run: the command-line tool's scenarios (one definition of each physics
 * set-up), with what the page adds: a bound on the particle input (all-pairs gravity is O(n²)
 * per step in a browser; the galaxy goes further because large ones run on the tree).
 */
export interface Scenario {
  readonly name: string;
  readonly summary: string;
  readonly dt: number;
  readonly defaultParticles: number;
  /** True when the count is part of the scenario: the particle input is then disabled. */
  readonly fixedParticles: boolean;
  readonly maxParticles: number;
  /** `gravity` replaces the method of its pairwiseGravity rules (the scenario's own when absent). */
  system(particles: number, gravity?: GravityMethod | null): SystemDefinition;
  state(particles: number, random: SeededRandom): ParticleState;
  /** The scenario's own observables (temperature, sag), shown live beside the drift. */
  readouts?(state: ParticleState, diagnostics: Diagnostics): readonly Readout[];
}

const MAX_PARTICLES: Record<string, number> = {
  'solar-system': 4,
  // On a backend with the Barnes–Hut tree (webgpu, ts) gravity costs O(n log n) from 8,192 bodies up.
  galaxy: 100_000,
  cluster: 20_000,
  'collision-box': 100_000,
  // 4·20³ atoms: the cutoff pair force goes through a cell grid, so the cost grows with n, not n².
  'lennard-jones': 32_000,
  // The tension, and so the links' stretch, grows with the chain's length.
  springs: 1_000,
  // Soft-sphere contacts on the cell grid: O(n) per step, two force evaluations per verlet step.
  granular: 5_000,
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
    system: (particles, gravity) => {
      const system = setup.system({ particles, integrator });
      return gravity ? withGravityMethod(system, gravity) : system;
    },
    state: (particles, random) => setup.state({ particles, integrator, random }),
    ...(setup.readouts ? { readouts: setup.readouts } : {}),
  };
}

/** The seed benchmark (10,000 particles falling for ever) is left out: nothing to watch. */
export const SCENARIOS: readonly Scenario[] = ALL.filter((s) => s.name in MAX_PARTICLES).map(forPage);

export function findScenario(name: string): Scenario {
  return SCENARIOS.find((s) => s.name === name) ?? SCENARIOS[0];
}
