/**
 * The LAMMPS side on its own: LAMMPS against the float64 brute-force reference of this package.
 * These agree to rounding (1e-12 and better), which shows the input script, the data file, the
 * units, the mixing rule and the image flags are what the comparison with BrokenRecord assumes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  largestDisplacement,
  ljEnergyAndForces,
  relativeToLargest,
  verletTrajectory,
  type LammpsLjResult,
  type Trajectory,
} from '../dist/index.js';
import { CONFIGURATIONS, DT, lammpsAvailable, lammpsResult, STEPS } from './helpers.js';

describe('LAMMPS against the float64 reference', async () => {
  const available = await lammpsAvailable();
  describe.skipIf(!available).each(Object.keys(CONFIGURATIONS) as (keyof typeof CONFIGURATIONS)[])('%s', (name) => {
    const config = CONFIGURATIONS[name];
    let lammps: LammpsLjResult;
    let exact: Trajectory;
    let float32: Trajectory;
    beforeAll(async () => {
      lammps = await lammpsResult(name);
      exact = verletTrajectory(config, STEPS, DT);
      float32 = verletTrajectory(config, STEPS, DT, { float32: true });
    });

    it('LAMMPS read exactly our atoms (positions and velocities, bit for bit)', () => {
      expect(Array.from(lammps.position0)).toEqual(Array.from(config.position));
      expect(Array.from(lammps.velocity0)).toEqual(Array.from(config.velocity));
    });

    it('potential energy and per-atom forces at the start', () => {
      const reference = ljEnergyAndForces(config);
      expect(Math.abs(lammps.potential0 - reference.potential) / Math.abs(reference.potential)).toBeLessThan(1e-12);
      expect(relativeToLargest(lammps.force0, reference.force).relative).toBeLessThan(1e-12);
      // A displaced lattice: forces of order 10-100, far from the zero forces of a perfect one.
      expect(Math.max(...reference.force.map(Math.abs))).toBeGreaterThan(10);
    });

    it(`positions, velocities and energies after ${STEPS} NVE steps (velocity Verlet, wrap after the drift)`, () => {
      expect(largestDisplacement(lammps.position1, exact.position, config.box).distance).toBeLessThan(1e-9);
      // LAMMPS's image flags unwrap to a trajectory that moved continuously from the start.
      expect(largestDisplacement(lammps.unwrapped1, lammps.position1, config.box).distance).toBeLessThan(1e-9);
      expect(relativeToLargest(lammps.velocity1, exact.velocity).relative).toBeLessThan(1e-9);
      expect(Math.abs(lammps.potential1 - exact.potential) / Math.abs(exact.potential)).toBeLessThan(1e-10);
      expect(Math.abs(lammps.kinetic1 - exact.kinetic) / exact.kinetic).toBeLessThan(1e-10);
    });

    it('float32 storage alone stays well inside the 1e-4 position tolerance used against BrokenRecord', () => {
      // Rounding every stored position and velocity to float32 is what BrokenRecord's columns do;
      // this measures what that costs over the run (about 1.5e-5 here), so the tolerance of the
      // BrokenRecord comparison is known to leave room for float32 arithmetic on top of it.
      const drift = largestDisplacement(float32.position, lammps.position1, config.box).distance;
      expect(drift).toBeGreaterThan(0);
      expect(drift).toBeLessThan(5e-5);
    });
  });
});
