/**
 * BrokenRecord's `contacts({ model: 'hooke' })` against LAMMPS `pair_style gran/hooke` with no
 * tangential terms (Kt = gamma_t = xmu = 0) and `fix nve/sphere`, on 8 spheres of different sizes
 * and masses thrown together in free space (12 contact pairs, several simultaneous): positions
 * and velocities every 10 steps over 160 steps of dt = t_c/20.
 *
 * The norm (trajectoryDeviation): over every checkpoint, atom and axis, the largest |Δx| relative
 * to the largest displacement from the start, and the largest |Δv| relative to the largest speed.
 *
 * - Undamped, the two engines compute the same velocity Verlet: trajectories agree to 1e-4. (A
 *   float64 run of the same formulas matches LAMMPS to 1e-12, so what remains is BrokenRecord's
 *   float32 storage.)
 * - Damped (gamma_n > 0), the force reads velocities, and the schemes differ exactly as
 *   docs/physics.md says: LAMMPS reuses the force of (x_k, v_{k−1/2}) in the first half kick,
 *   BrokenRecord evaluates it at (x_k, v_k). The difference is accounted for exactly: LAMMPS
 *   matches a float64 run of its scheme to 1e-12, and BrokenRecord a float64 run of its own to
 *   1e-4, the two float64 runs differing only in that one evaluation.
 */
import { tsBackend } from '@brokenrecord/backend-ts';
import { webgpuBackend } from '@brokenrecord/backend-webgpu';
import { probeBackend, registerBackend, type Backend } from '@brokenrecord/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  brokenRecordGranular,
  granularCloud,
  granularVerlet,
  lammpsGranular,
  trajectoryDeviation,
  type BackendChoice,
  type GranularConfiguration,
  type GranularTrajectory,
} from '../dist/index.js';
import { lammpsAvailable, required } from './helpers.js';

const driverConfigured = Boolean(process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES);

const BACKENDS: { backend: Backend; choice: BackendChoice; label: string }[] = [
  { backend: tsBackend, choice: { backend: 'ts', threads: 1 }, label: 'ts' },
  { backend: tsBackend, choice: { backend: 'ts', threads: 2 }, label: 'ts, threads: 2' },
  { backend: webgpuBackend, choice: { backend: 'webgpu' }, label: 'webgpu' },
];

const STIFFNESS = 1e3;
/** Contact time π/ω of the lightest pair (m_eff ≈ 0.15), over 20. */
const DT = Math.fround(Math.PI / Math.sqrt(STIFFNESS / 0.15) / 20);
const STEPS = 160;
const EVERY = 10;

const CASES: Record<'undamped' | 'damped', GranularConfiguration> = {
  undamped: granularCloud({ side: 2, seed: 4, stiffness: STIFFNESS, damping: 0 }),
  damped: granularCloud({ side: 2, seed: 4, stiffness: STIFFNESS, damping: 5 }),
};

const lammpsRuns = new Map<string, Promise<GranularTrajectory>>();
function lammps(name: keyof typeof CASES): Promise<GranularTrajectory> {
  let run = lammpsRuns.get(name);
  if (!run) lammpsRuns.set(name, (run = lammpsGranular(CASES[name], STEPS, DT, EVERY)));
  return run;
}

describe('BrokenRecord contacts (hooke) against LAMMPS gran/hooke', async () => {
  const available = await lammpsAvailable();

  let override: string | undefined;
  beforeAll(() => {
    override = process.env.BROKENRECORD_BACKEND;
    delete process.env.BROKENRECORD_BACKEND;
  });
  afterAll(() => {
    if (override !== undefined) process.env.BROKENRECORD_BACKEND = override;
  });

  describe.skipIf(!available)('the comparison itself', () => {
    it('LAMMPS computes exactly the float64 velocity Verlet of docs/physics.md (undamped: to 1e-12)', async () => {
      const reference = await lammps('undamped');
      expect(reference.frames.length).toBe(STEPS / EVERY + 1);
      const d = trajectoryDeviation(granularVerlet(CASES.undamped, STEPS, DT, EVERY, 'brokenrecord'), reference);
      expect(d.position).toBeLessThan(1e-12);
      expect(d.velocity).toBeLessThan(1e-12);
    });

    it('damped: LAMMPS matches a float64 run of its own scheme to 1e-12, which differs from ours by the first half kick only', async () => {
      const reference = await lammps('damped');
      const theirs = granularVerlet(CASES.damped, STEPS, DT, EVERY, 'lammps');
      const d = trajectoryDeviation(theirs, reference);
      expect(d.position).toBeLessThan(1e-12);
      expect(d.velocity).toBeLessThan(1e-12);
      // The scheme difference is real at this dt (γ·dt ≈ 0.01): what the damped comparison accounts for.
      const scheme = trajectoryDeviation(granularVerlet(CASES.damped, STEPS, DT, EVERY, 'brokenrecord'), theirs);
      expect(scheme.velocity).toBeGreaterThan(1e-4);
    });
  });

  for (const { backend, choice, label } of BACKENDS) {
    describe(label, async () => {
      registerBackend(backend);
      const probe = await probeBackend(backend);
      const implemented = backend.rules.includes('contacts');
      if (!probe.available) {
        const reason = probe.reason ?? 'unavailable';
        const mustRun = required.includes(backend.name) || (backend.name === 'webgpu' && driverConfigured);
        if (available && mustRun && implemented) {
          it(`backend '${backend.name}' is available (BROKENRECORD_REQUIRE lists it, or a Vulkan driver is configured)`, () => {
            throw new Error(`backend '${backend.name}' must run here but is unavailable: ${reason}`);
          });
        } else {
          console.warn(`[lammps] skipping backend '${backend.name}': ${reason}`);
        }
      } else if (!implemented) {
        console.warn(`[lammps] skipping backend '${backend.name}': it does not implement 'contacts'`);
      }

      describe.skipIf(!available || !probe.available || !implemented)('trajectories', () => {
        it('undamped: positions and velocities over the collisions to 1e-4 of LAMMPS', async () => {
          const ours = await brokenRecordGranular(CASES.undamped, choice, STEPS, DT, EVERY);
          expect(ours.backend).toBe(choice.backend);
          expect(ours.contactsSeen, 'pairs seen in contact at the checkpoints').toBeGreaterThanOrEqual(8);
          const d = trajectoryDeviation(ours, await lammps('undamped'));
          expect(d.position, `positions, worst at checkpoint ${d.frame}`).toBeLessThan(1e-4);
          expect(d.velocity, `velocities, worst at checkpoint ${d.frame}`).toBeLessThan(1e-4);
        });

        it('damped (gamma_n = 5): to 1e-4 of the float64 run of our scheme, which is LAMMPS’s but for the first half kick', async () => {
          const ours = await brokenRecordGranular(CASES.damped, choice, STEPS, DT, EVERY);
          const d = trajectoryDeviation(ours, granularVerlet(CASES.damped, STEPS, DT, EVERY, 'brokenrecord'));
          expect(d.position, `positions, worst at checkpoint ${d.frame}`).toBeLessThan(1e-4);
          expect(d.velocity, `velocities, worst at checkpoint ${d.frame}`).toBeLessThan(1e-4);
        });
      });
    });
  }
});
