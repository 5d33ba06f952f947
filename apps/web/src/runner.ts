import type { GravityMethod, Simulation } from '@brokenrecord/core';
import { webgpuRenderSource } from '@brokenrecord/backend-webgpu';
import { startSimulation, type BackendChoice } from './backend-choice';
import type { DriftChart } from './drift-chart';
import { EnergyDrift } from './drift';
import { RateMeter } from './rate-meter';
import { chooseRenderer, type Renderer, type Views } from './renderer-choice';
import { SeededRandom } from './scenarios';
import type { Readout, Scenario } from './scenarios';

/** Wall time one frame's batch of steps aims for: leaves the rest of the frame to drawing and input. */
const TARGET_BATCH_MS = 12;
const MAX_BATCH = 4096;
const SEED = 42;
/** A scenario's readouts need the state on the host: on webgpu that is a readback, so only this often. */
const READOUT_INTERVAL_MS = 500;
/**
 * The energy drift is measured at most this often, and at most a tenth of the time: diagnostics
 * evaluate the potential, which for a large galaxy is a whole tree build and walk, as costly as a
 * step; measured after every batch they would halve the step rate where a step is all a frame holds.
 */
const DRIFT_INTERVAL_MS = 100;
const DRIFT_TIME_SHARE = 0.1;

export interface RunnerEvents {
  /** `particles`: the count the scenario built (a lattice may round the one asked for). */
  loaded(choice: BackendChoice, scenario: Scenario, particles: number, renderer: Renderer): void;
  progress(stats: { steps: number; stepsPerSecond: number; drift: number }): void;
  /** The scenario's own observables (temperature, sag; none for most), at load and then every READOUT_INTERVAL_MS. */
  readouts(values: readonly Readout[]): void;
  failed(error: unknown): void;
}

/**
 * Owns the running simulation and the animation loop: each frame steps a batch sized so it takes
 * about TARGET_BATCH_MS (a fast backend then does many steps per frame instead of one), draws it
 * (on WebGPU from the simulation's own buffers, else from a host copy), and measures the energy
 * drift (diagnostics reduce where the state lives).
 */
export class Runner {
  #simulation: Simulation | null = null;
  #drift: EnergyDrift | null = null;
  #renderer: Renderer | null = null;
  #scenario: Scenario | null = null;
  #readoutsAt = 0;
  #driftAt = 0;
  #driftCost = 0;
  #lastDrift = 0;
  #batch = 1;
  #playing = false;
  #busy = false;
  #generation = 0;
  readonly #rate = new RateMeter();

  constructor(
    private readonly views: Views,
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

  /** Replaces the running simulation; a load started later wins over one still in progress. `gravity`: see Scenario.system. */
  async load(scenario: Scenario, particles: number, gravity: GravityMethod | null = null): Promise<void> {
    const generation = ++this.#generation;
    this.#simulation?.dispose();
    this.#simulation = null;
    try {
      const state = scenario.state(particles, new SeededRandom(SEED));
      const choice = await startSimulation(scenario.system(particles, gravity), state, scenario.dt);
      const drift = await EnergyDrift.of(choice.simulation);
      if (generation !== this.#generation) {
        choice.simulation.dispose();
        return;
      }
      const renderer = chooseRenderer(choice.simulation, this.views);
      this.#simulation = choice.simulation;
      this.#drift = drift;
      this.#renderer = renderer;
      this.#scenario = scenario;
      this.#batch = 1;
      this.#driftAt = 0;
      this.#driftCost = 0;
      this.#lastDrift = 0;
      this.#rate.reset();
      renderer.view.fit(await choice.simulation.read());
      this.chart.clear();
      this.chart.push(0, 0);
      // The first picture now, so a paused page (after Reset) shows the start, not an empty canvas.
      await this.#draw(choice.simulation, renderer);
      // Before `loaded`, which marks the page ready: the readouts of step 0 are then already shown.
      const start = scenario.readouts?.(await choice.simulation.read(), await choice.simulation.diagnostics()) ?? [];
      this.#readoutsAt = performance.now();
      this.events.readouts(start);
      this.events.loaded(choice, scenario, state.count, renderer);
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
    await this.#draw(simulation, this.#renderer!);
    const now = performance.now();
    if (now - this.#driftAt >= Math.max(DRIFT_INTERVAL_MS, this.#driftCost / DRIFT_TIME_SHARE)) {
      this.#lastDrift = await drift.measure(simulation);
      this.#driftAt = performance.now();
      this.#driftCost = this.#driftAt - now;
      this.chart.push(simulation.steps, this.#lastDrift);
    }
    const value = this.#lastDrift;
    this.events.progress({
      steps: simulation.steps,
      stepsPerSecond: this.#rate.record(performance.now(), simulation.steps),
      drift: value,
    });
    await this.#readouts(simulation);
  }

  async #readouts(simulation: Simulation): Promise<void> {
    const readouts = this.#scenario?.readouts;
    const now = performance.now();
    if (!readouts || now - this.#readoutsAt < READOUT_INTERVAL_MS) return;
    this.#readoutsAt = now;
    const [state, diagnostics] = [await simulation.read(), await simulation.diagnostics()];
    if (simulation === this.#simulation) this.events.readouts(readouts(state, diagnostics));
  }

  async #draw(simulation: Simulation, renderer: Renderer): Promise<void> {
    if (renderer.kind === 'host') return renderer.view.draw(await simulation.read());
    const source = webgpuRenderSource(simulation.context);
    if (!source) throw new Error('the simulation no longer offers its GPU buffers for drawing');
    await renderer.view.draw(source);
  }
}
