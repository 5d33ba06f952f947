import { driftScale, relativeDrift, type Diagnostics, type Simulation } from '@brokenrecord/core';

/**
 * Relative energy drift |E − E₀| / (|K₀| + |U₀|), core's own definition, so the page shows the
 * number the command-line conservation report would.
 */
export class EnergyDrift {
  readonly #baseline: Diagnostics;
  readonly #scale: number;

  private constructor(baseline: Diagnostics, scale: number) {
    this.#baseline = baseline;
    this.#scale = scale;
  }

  /** Takes the baseline from the simulation as it is now (before its first step). */
  static async of(simulation: Simulation): Promise<EnergyDrift> {
    const diagnostics = await simulation.diagnostics();
    const state = await simulation.read();
    return new EnergyDrift(diagnostics, driftScale(state, diagnostics, 'energy'));
  }

  async measure(simulation: Simulation): Promise<number> {
    return relativeDrift(this.#baseline, await simulation.diagnostics(), 'energy', this.#scale);
  }
}
