import {
  bondForce,
  checkState,
  computeDiagnostics,
  createSimulation,
  defineSystem,
  externalForce,
  field,
  pairForce,
  periodic,
  registerBackend,
} from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import { webgpuBackend, type WebGpuContext } from '../../dist/index.js';
import { accelerationError, jitteredLattice, referenceAccelerations } from '../expression-reference.js';
import { measureMath } from '../math-accuracy.js';

const required = process.env.BROKENRECORD_REQUIRE_BROWSER === '1';
const probe = await webgpuBackend.probe();
registerBackend(webgpuBackend);

/**
 * Generated WGSL in Chromium's WebGPU (SwiftShader): one system with every expression kind, its
 * potential energy against core's float64 reference and its forces (one Euler step from rest)
 * against a brute-force float64 evaluation of the same trees.
 */
describe('webgpu in the browser: rules written as expressions', () => {
  it('the probe found WebGPU (required when BROKENRECORD_REQUIRE lists webgpu-browser)', () => {
    if (!probe.available) expect(required, `BROKENRECORD_REQUIRE lists webgpu-browser, but: ${probe.reason}`).toBe(false);
  });

  it.skipIf(!probe.available)(
    'periodic Lennard-Jones with mixed σ, ε, springs with exclusions, a trap and a field: energy and forces',
    async () => {
      const L = 9;
      const state = jitteredLattice(3, 343, L / 7, 0.06, {
        origin: [-L / 2, -L / 2, -L / 2],
        attributes: { sigma: [0.9, 1.05], epsilon: [0.5, 1.5], q: [-1, 1] },
      });
      const bonds = Array.from({ length: 100 }, (_, b) => [3 * b, 3 * b + 1] as [number, number]);
      const system = defineSystem({
        rules: [
          pairForce({
            energy: '4*eps*((sig/r)^12 - (sig/r)^6); sig = 0.5*(sigma1 + sigma2); eps = sqrt(epsilon1*epsilon2)',
            perParticle: ['sigma', 'epsilon'],
            cutoff: 2.5,
            shift: true,
            exclude: 'bonds',
          }),
          bondForce({ energy: '0.5*k*(r - r0)^2', bonds, perBond: { k: bonds.map((_, b) => 80 + b), r0: bonds.map(() => 1.2) } }),
          externalForce({ energy: '0.05*k*(x^2 + y^2 + z^2)', parameters: { k: 2 } }),
          field({ acceleration: ['q*0.3', '0', '-q*0.1'], perParticle: ['q'] }),
          periodic({ min: [-L / 2, -L / 2, -L / 2], max: [L / 2, L / 2, L / 2] }),
        ],
      });
      checkState(state, system);
      const dt = 1e-3;
      const sim = await createSimulation({ system, state: state.clone(), dt, backend: 'webgpu' });
      try {
        expect((sim.context as WebGpuContext).generatedKernels?.entries).toEqual(
          expect.arrayContaining(['customGather', 'customForces', 'customPotential']),
        );
        const gpu = await sim.diagnostics();
        const reference = computeDiagnostics(state, system);
        expect(
          Math.abs(gpu.potential - reference.potential) / Math.abs(reference.potential),
          `${gpu.potential} vs ${reference.potential}`,
        ).toBeLessThan(1e-5);
        await sim.step(1);
        const s = await sim.read();
        const a = [s.vx, s.vy, s.vz].map((v) => Float64Array.from(v, (x) => x / Math.fround(dt)));
        const error = accelerationError(a, referenceAccelerations(system, state, 0));
        expect(error.relative, error.at).toBeLessThan(2e-6);
      } finally {
        sim.dispose();
      }
    },
  );
});

describe('webgpu in the browser: elementary functions in generated code', () => {
  it.skipIf(!probe.available)("are accurate to a few float32 ULP, whatever the browser's builtins do", async () => {
    for (const r of await measureMath()) expect(r.error, `${r.expression} at x = ${r.at}`).toBeLessThan(r.tolerance);
  });
});
