import { defineSystem, pairwiseGravity, type Integrator } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { U } from '../helpers/float32.js';
import { referenceDiagnostics } from '../helpers/reference-diagnostics.js';
import { randomCluster } from '../scenes/cluster.js';

/**
 * A closed, self-gravitating cluster: pair forces are equal and opposite and central, so both
 * integrators keep total momentum and angular momentum exactly in exact arithmetic (each step
 * only adds Σ m_i a_i dt = 0 and Σ m_i x_i × a_i dt = 0). What is left is float32 rounding.
 */
export function closedSystemMomentumCases(ctx: SuiteContext): void {
  describe.skipIf(!ctx.supports('pairwiseGravity'))('closed N-body cluster', () => {
    const n = 256;
    const steps = 50;
    const dt = 0.005;
    /**
     * Momentum, relative to Σ m|v|: every step rounds each stored velocity (≤ U·|v_i|) and each
     * summed acceleration (a few U of its terms). Those errors are independent across particles,
     * so their sum grows like a random walk, ≈ U·√(steps/N) of the scale (≈ 3e-8 here); 1e-6
     * leaves a wide margin while one pair force applied to one side only, for a few steps, breaks
     * momentum by more.
     */
    const momentumTolerance = 1e-6;
    /**
     * Angular momentum, relative to Σ m|x||v|: rounding the stored position and velocity of a
     * particle changes its m·x × v by at most 2U of its own magnitude, so even if every particle
     * erred the same way every step the drift stays below steps·2U ≈ 6e-6; float32 force sums add
     * about √N·U·|a|·dt/|v| per step (≈ 1e-8 here). Twice the first covers both.
     */
    const angularTolerance = 2 * steps * 2 * U;

    for (const integrator of ['euler', 'verlet'] as Integrator[]) {
      it(`${integrator}: momentum within ${momentumTolerance} and angular momentum within ${angularTolerance.toExponential(1)} (relative)`, async () => {
        const start = randomCluster(20240 + (integrator === 'euler' ? 0 : 1), n, { bulk: [0.3, -0.1, 0.2], spin: 0.4 });
        const system = defineSystem({ integrator, rules: [pairwiseGravity({ G: 1, softening: 0.05 })] });
        const before = referenceDiagnostics(start, system.rules);
        const sim = await ctx.create(system, start.clone(), dt);
        for (let done = 0; done < steps; done += 10) {
          await sim.step(10);
          const now = referenceDiagnostics(await sim.read(), system.rules);
          const dp = Math.hypot(...now.momentum.map((p, k) => p - before.momentum[k]));
          const dL = Math.hypot(...now.angularMomentum.map((l, k) => l - before.angularMomentum[k]));
          expect(dp / before.scale.momentum, `momentum drift after ${done + 10} steps`).toBeLessThanOrEqual(momentumTolerance);
          expect(dL / before.scale.angularMomentum, `angular momentum drift after ${done + 10} steps`).toBeLessThanOrEqual(
            angularTolerance,
          );
        }
        // The cluster really evolved: velocities changed by far more than rounding.
        const end = await sim.read();
        let change = 0;
        for (let i = 0; i < n; i++) change = Math.max(change, Math.abs(end.vx[i] - start.vx[i]));
        expect(change, 'velocities changed').toBeGreaterThan(1e-3);
      });
    }
  });
}
