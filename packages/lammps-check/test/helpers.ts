import { requiredBackends } from '@brokenrecord/conformance';
import { it } from 'vitest';
import { fccConfiguration, lammpsLj, probeLammps, type LammpsLjResult, type LjConfiguration } from '../dist/index.js';

/** The comparison run: 100 velocity-Verlet steps of the LAMMPS benchmark's timestep. */
export const STEPS = 100;
export const DT = 0.005;

/**
 * Two periodic LJ configurations of 500 atoms (5³ fcc cells at ρ = 0.8442, box 8.40 ≥ 2·rc, rc =
 * 2.5), every coordinate displaced by up to ±0.1 from its site, velocities at T = 1.44:
 * one species (σ = ε = m = 1, σ and ε as `parameters`) and a two-species mixture (per-atom σ, ε as
 * attributes mixed like `pair_modify mix arithmetic`, and two masses).
 */
export const CONFIGURATIONS: Record<'single' | 'mixture', LjConfiguration> = {
  single: fccConfiguration({ cells: 5, density: 0.8442, cutoff: 2.5, displacement: 0.1, temperature: 1.44, seed: 12 }),
  mixture: fccConfiguration({
    cells: 5,
    density: 0.8442,
    cutoff: 2.5,
    displacement: 0.1,
    temperature: 1.44,
    seed: 13,
    species: [
      { mass: 1, sigma: 1, epsilon: 1 },
      { mass: 2, sigma: 0.9, epsilon: 0.7 },
    ],
  }),
};

const runs = new Map<string, Promise<LammpsLjResult>>();

/** LAMMPS's answer for a configuration, computed once per test file. */
export function lammpsResult(name: keyof typeof CONFIGURATIONS): Promise<LammpsLjResult> {
  let result = runs.get(name);
  if (!result) {
    result = lammpsLj(CONFIGURATIONS[name], STEPS, DT);
    runs.set(name, result);
  }
  return result;
}

export const required = requiredBackends();

/**
 * Whether LAMMPS can run here. Missing `lmp` skips the LAMMPS tests with the reason, except when
 * BROKENRECORD_REQUIRE lists `lammps` (CI does): then this defines one failing test with the reason.
 * Call inside a `describe` callback.
 */
export async function lammpsAvailable(): Promise<boolean> {
  const probe = await probeLammps();
  if (probe.available) return true;
  if (required.includes('lammps')) {
    it('LAMMPS is installed (BROKENRECORD_REQUIRE lists lammps)', () => {
      throw new Error(`BROKENRECORD_REQUIRE lists lammps but it cannot run: ${probe.reason}`);
    });
  } else {
    console.warn(`[lammps] skipping the LAMMPS comparison: ${probe.reason}`);
  }
  return false;
}
