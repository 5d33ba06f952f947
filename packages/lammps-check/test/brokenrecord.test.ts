/**
 * BrokenRecord's `pairForce` (Lennard-Jones written as an energy expression, forces derived by
 * core) with `periodic` boundaries, run by each backend, against LAMMPS `pair_style lj/cut` on the
 * same atoms:
 *   - potential energy (`sim.diagnostics().potential`) to 1e-5 relative;
 *   - per-atom forces to 1e-4 of the largest force. The public API has no force readout, so the
 *     force is read from one semi-implicit Euler step taken at rest: v₁ = a(x₀)·dt exactly (the
 *     kick comes before the drift), F = m·v₁/dt with dt = 2⁻¹⁰ (see FORCE_PROBE_DT);
 *   - positions after 100 velocity-Verlet steps of dt = 0.005 to 1e-4 (minimum-image distance:
 *     both engines wrap into the box).
 *
 * A backend that cannot run here is skipped with its reason unless BROKENRECORD_REQUIRE lists it
 * (or, for webgpu, VK_ICD_FILENAMES points at a driver); LAMMPS likewise with `lammps`. When `lammps` is required the comparison itself is required too:
 * a core without `pairForce`/`periodic` then fails here instead of skipping.
 */
import { avx2Backend } from '@brokenrecord/backend-avx2';
import { tsBackend } from '@brokenrecord/backend-ts';
import { webgpuBackend } from '@brokenrecord/backend-webgpu';
import { probeBackend, registerBackend, type Backend } from '@brokenrecord/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  brokenRecordLj,
  expressionRuleApi,
  largestDisplacement,
  relativeToLargest,
  type BackendChoice,
  type BrokenRecordLjResult,
  type LammpsLjResult,
} from '../dist/index.js';
import { CONFIGURATIONS, DT, lammpsAvailable, lammpsResult, required, STEPS } from './helpers.js';

/** As in backend-webgpu's own tests: a configured Vulkan driver that yields no adapter is a broken setup. */
const driverConfigured = Boolean(process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES);

const BACKENDS: { backend: Backend; choice: BackendChoice; label: string }[] = [
  { backend: tsBackend, choice: { backend: 'ts', threads: 1 }, label: 'ts' },
  { backend: tsBackend, choice: { backend: 'ts', threads: 2 }, label: 'ts, threads: 2' },
  // Code generated for the rule and compiled at run time; one thread and two give the same bits.
  { backend: avx2Backend, choice: { backend: 'avx2', threads: 1 }, label: 'avx2, 1 thread' },
  { backend: avx2Backend, choice: { backend: 'avx2', threads: 2 }, label: 'avx2, threads: 2' },
  { backend: webgpuBackend, choice: { backend: 'webgpu' }, label: 'webgpu' },
];

describe('BrokenRecord pairForce against LAMMPS lj/cut', async () => {
  const lammps = await lammpsAvailable();
  const api = expressionRuleApi();
  const apiMissing = 'missing' in api ? api.missing : null;
  if (lammps && apiMissing) {
    if (required.includes('lammps')) {
      it('core offers pairForce and periodic (BROKENRECORD_REQUIRE lists lammps)', () => {
        throw new Error(apiMissing);
      });
    } else {
      console.warn(`[lammps] skipping the BrokenRecord comparison: ${apiMissing}`);
    }
  }

  // BROKENRECORD_BACKEND overrides every backend request; these tests name theirs, so lift it.
  let override: string | undefined;
  beforeAll(() => {
    override = process.env.BROKENRECORD_BACKEND;
    delete process.env.BROKENRECORD_BACKEND;
  });
  afterAll(() => {
    if (override !== undefined) process.env.BROKENRECORD_BACKEND = override;
  });

  for (const { backend, choice, label } of BACKENDS) {
    describe(label, async () => {
      registerBackend(backend);
      const probe = await probeBackend(backend);
      if (!probe.available) {
        const reason = probe.reason ?? 'unavailable';
        const mustRun = required.includes(backend.name) || (backend.name === 'webgpu' && driverConfigured);
        if (lammps && !apiMissing && mustRun) {
          it(`backend '${backend.name}' is available (BROKENRECORD_REQUIRE lists it, or a Vulkan driver is configured)`, () => {
            throw new Error(`backend '${backend.name}' must run here but is unavailable: ${reason}`);
          });
        } else {
          console.warn(`[lammps] skipping backend '${backend.name}': ${reason}`);
        }
      }

      describe
        .skipIf(!lammps || apiMissing !== null || !probe.available)
        .each(Object.keys(CONFIGURATIONS) as (keyof typeof CONFIGURATIONS)[])('%s', (name) => {
        const config = CONFIGURATIONS[name];
        let reference: LammpsLjResult;
        let ours: BrokenRecordLjResult;
        beforeAll(async () => {
          reference = await lammpsResult(name);
          ours = await brokenRecordLj(config, choice, STEPS, DT);
        });

        it('ran on the backend asked for', () => {
          expect(ours.backend).toBe(choice.backend);
        });

        it('potential energy at the start to 1e-5 relative', () => {
          const relative = Math.abs(ours.potential0 - reference.potential0) / Math.abs(reference.potential0);
          expect(relative, `BrokenRecord ${ours.potential0}, LAMMPS ${reference.potential0}`).toBeLessThan(1e-5);
          expect(Math.abs(ours.kinetic0 - reference.kinetic0) / reference.kinetic0).toBeLessThan(1e-5);
        });

        it('per-atom forces at the start to 1e-4 of the largest force', () => {
          const worst = relativeToLargest(ours.force0, reference.force0);
          const atom = Math.floor(worst.index / 3);
          expect(
            worst.relative,
            `atom ${atom} axis ${worst.index % 3}: BrokenRecord ${ours.force0[worst.index]}, LAMMPS ${reference.force0[worst.index]}`,
          ).toBeLessThan(1e-4);
        });

        it(`positions after ${STEPS} velocity-Verlet steps to 1e-4`, () => {
          const worst = largestDisplacement(ours.position1, reference.position1, config.box);
          expect(worst.distance, `atom ${worst.atom}`).toBeLessThan(1e-4);
          for (const x of ours.position1) expect(x >= 0 && x <= config.box, `position ${x} outside the box [0, ${config.box}]`).toBe(true);
          // Energies after the run as well: a wrong force and a right energy, or the reverse, shows here.
          expect(Math.abs(ours.potential1 - reference.potential1) / Math.abs(reference.potential1)).toBeLessThan(1e-4);
          expect(Math.abs(ours.kinetic1 - reference.kinetic1) / reference.kinetic1).toBeLessThan(1e-4);
        });
      });
    });
  }
});
