import type { Diagnostics, Integrator, ParticleState, Quantity, SystemDefinition } from '@brokenrecord/core';
import type { SeededRandom } from '../random.js';

/** One number of a scenario's own physics (a temperature, a sag), shown at the start and end of a run. */
export interface Readout {
  readonly name: string;
  readonly value: number;
}

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
  /** Lines describing the set-up `particles` (as asked) gives: a lattice, a count rounded to fit it. */
  notes?(options: ScenarioOptions): readonly string[];
  /** The scenario's own observables, computed from a state and its diagnostics. */
  readouts?(state: ParticleState, diagnostics: Diagnostics): readonly Readout[];
}
