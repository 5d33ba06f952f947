import type { Integrator, ParticleState, Quantity, SystemDefinition } from '@brokenrecord/core';
import type { SeededRandom } from '../random.js';

export interface ScenarioOptions {
  particles: number;
  integrator: Integrator;
}

/**
 * A named, reproducible simulation set-up. Its conservation contract is what `system()` declares in
 * `defineSystem({ conserves })`; `tolerances` says how much relative drift of each declared
 * quantity still counts as kept (integrators conserve only up to their own error).
 */
export interface Scenario {
  readonly name: string;
  /** One line for `--help`. */
  readonly summary: string;
  readonly defaults: {
    readonly steps: number;
    readonly dt: number;
    readonly particles: number;
    readonly integrator: Integrator;
  };
  /** True when the particle count is part of the scenario (`--particles` is then rejected). */
  readonly fixedParticles: boolean;
  /** Largest relative drift (core's `relativeDrift`) tolerated per declared quantity at the defaults. */
  readonly tolerances: Readonly<Partial<Record<Quantity, number>>>;
  system(options: ScenarioOptions): SystemDefinition;
  /** The initial state; random scenarios draw only from `random`, so a seed rebuilds them exactly. */
  state(options: ScenarioOptions & { random: SeededRandom }): ParticleState;
}
