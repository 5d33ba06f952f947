import {
  createSimulation,
  type Backend,
  type ParticleState,
  type RuleKind,
  type Simulation,
  type SimulationOptions,
  type SystemDefinition,
} from '@brokenrecord/core';

/**
 * Timeout for the cases that make a thousand or more step() calls: a backend whose every call
 * crosses to a device (or a busy 2-core machine) needs far more than vitest's default 5 s there.
 */
export const SLOW_CASE_TIMEOUT = 120_000;

/** Extra createSimulation options a backend's instantiation passes to every simulation (e.g. threads). */
export type ExtraSimulationOptions = Omit<SimulationOptions, 'system' | 'state' | 'dt' | 'backend'>;

/**
 * What every case receives: the backend under test, the reference it must agree with, and ways to
 * create simulations that are always forced onto the right backend and disposed after the test.
 */
export interface SuiteContext {
  readonly backend: Backend;
  readonly reference: Backend;
  readonly options: Readonly<ExtraSimulationOptions>;
  /** Whether the backend under test implements every listed rule kind (cases needing others are skipped). */
  supports(...kinds: RuleKind[]): boolean;
  /**
   * A simulation on the backend under test, created with `backend: <its name>` and the suite's
   * options. The state is handed over as is: CPU backends step it in place, so pass a clone when
   * the caller still needs the original.
   */
  create(system: SystemDefinition, state: ParticleState, dt: number, extra?: Partial<ExtraSimulationOptions>): Promise<Simulation>;
  /** The same on the reference backend, single-threaded (the deterministic configuration). */
  createReference(system: SystemDefinition, state: ParticleState, dt: number): Promise<Simulation>;
  /** Disposes `sim` after the current test (for simulations made by resumeSimulation and the like). */
  track(sim: Simulation): Simulation;
}

/** The context plus the hook the suite calls after each test. */
export function createSuiteContext(
  backend: Backend,
  reference: Backend,
  options: ExtraSimulationOptions,
): SuiteContext & { disposeAll(): void } {
  const live: Simulation[] = [];
  const track = (sim: Simulation) => {
    live.push(sim);
    return sim;
  };
  return {
    backend,
    reference,
    options,
    supports: (...kinds) => kinds.every((k) => backend.rules.includes(k)),
    create: async (system, state, dt, extra = {}) =>
      track(await createSimulation({ ...options, ...extra, system, state, dt, backend: backend.name })),
    createReference: async (system, state, dt) => track(await createSimulation({ system, state, dt, backend: reference.name, threads: 1 })),
    track,
    disposeAll: () => {
      for (const sim of live.splice(0)) sim.dispose();
    },
  };
}
