import type { Simulation } from '@brokenrecord/core';
import { startSimulation, type BackendChoice } from './backend-choice';
import type { DriftChart } from './drift-chart';
import { EnergyDrift } from './drift';
import type { ParticleView } from './particle-view';
import { RateMeter } from './rate-meter';
import { SeededRandom } from './random';
import type { Scenario } from './scenarios';

/** Wall time one frame's batch of steps aims for: leaves the rest of the frame to drawing and input. */
const TARGET_BATCH_MS = 12;
const MAX_BATCH = 4096;
const SEED = 42;

export interface RunnerEvents {
  loaded(choice: BackendChoice, scenario: Scenario, particles: number): void;
  progress(stats: { steps: number; stepsPerSecond: number; drift: number }): void;
  failed(error: unknown): void;
}

/**
 * Owns the running simulation and the animation loop: each frame steps a batch sized so it takes
 * about TARGET_BATCH_MS (a fast backend then does many steps per frame instead of one), reads the
 * state back to draw it, and measures the energy drift.
 */
export class Runner {
  #simulation: Simulation | null = null;
  #drift: EnergyDrift | null = null;
  #batch = 1;
  #playing = false;
  #busy = false;
  #generation = 0;
  readonly #rate = new RateMeter();

  constructor(
    private readonly view: ParticleView,
    private readonly chart: DriftChart,
    private readonly events: RunnerEvents,
  ) {
    requestAnimationFrame(() => this.#frame());
  }

  get playing(): boolean {
    return this.#playing;
  }

  setPlaying(playing: boolean): void {
    this.#playing = playing;
    this.#rate.reset();
  }

  /** Replaces the running simulation; a load started later wins over one still in progress. */
  async load(scenario: Scenario, particles: number): Promise<void> {
    const generation = ++this.#generation;
    this.#simulation?.dispose();
    this.#simulation = null;
    try {
      const state = scenario.state(particles, new SeededRandom(SEED));
      const choice = await startSimulation(scenario.system(particles), state, scenario.dt);
      const drift = await EnergyDrift.of(choice.simulation);
      if (generation !== this.#generation) {
        choice.simulation.dispose();
        return;
      }
      this.#simulation = choice.simulation;
      this.#drift = drift;
      this.#batch = 1;
      this.#rate.reset();
      this.view.fit(await choice.simulation.read());
      this.chart.clear();
      this.chart.push(0, 0);
      this.events.loaded(choice, scenario, particles);
    } catch (error) {
      if (generation === this.#generation) this.events.failed(error);
    }
  }

  async #frame(): Promise<void> {
    const simulation = this.#simulation;
    if (simulation && this.#drift && this.#playing && !this.#busy) {
      this.#busy = true;
      try {
        await this.#advance(simulation, this.#drift);
      } catch (error) {
        // A simulation replaced mid-batch rejects as disposed: that is the reset, not a failure.
        if (simulation === this.#simulation) {
          this.#playing = false;
          this.events.failed(error);
        }
      } finally {
        this.#busy = false;
      }
    }
    requestAnimationFrame(() => this.#frame());
  }

  async #advance(simulation: Simulation, drift: EnergyDrift): Promise<void> {
    const started = performance.now();
    await simulation.step(this.#batch);
    const elapsed = performance.now() - started;
    if (elapsed < TARGET_BATCH_MS / 2) this.#batch = Math.min(MAX_BATCH, this.#batch * 2);
    else if (elapsed > TARGET_BATCH_MS * 2) this.#batch = Math.max(1, Math.floor(this.#batch / 2));
    // The simulation may have been replaced while this batch ran: drop its results then.
    if (simulation !== this.#simulation) return;
    this.view.draw(await simulation.read());
    const value = await drift.measure(simulation);
    this.chart.push(simulation.steps, value);
    this.events.progress({
      steps: simulation.steps,
      stepsPerSecond: this.#rate.record(performance.now(), simulation.steps),
      drift: value,
    });
  }
}
