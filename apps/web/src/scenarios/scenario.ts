import type { ParticleState, SystemDefinition } from '@brokenrecord/core';
import type { SeededRandom } from '../random';

/**
 * A set-up the page can run. The definitions follow the command-line tool's scenarios of the same
 * names (that package ships a command, not a library, so they are restated here for the browser).
 */
export interface Scenario {
  readonly name: string;
  readonly summary: string;
  readonly dt: number;
  readonly defaultParticles: number;
  /** True when the count is part of the scenario: the particle input is then disabled. */
  readonly fixedParticles: boolean;
  /** Upper bound offered in the page: all-pairs gravity is O(n²) per step. */
  readonly maxParticles: number;
  system(particles: number): SystemDefinition;
  state(particles: number, random: SeededRandom): ParticleState;
}
