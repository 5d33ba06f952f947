import { defineSystem, pairwiseGravity } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import { SLOW_CASE_TIMEOUT, type SuiteContext } from '../context.js';
import { U } from '../helpers/float32.js';
import { referenceDiagnostics } from '../helpers/reference-diagnostics.js';
import { randomCluster } from '../scenes/cluster.js';

/**
 * Velocity Verlet is symplectic: on a smooth (softened) potential its energy error oscillates with
 * an amplitude of order (ω·dt)², ω the fastest frequency of the motion, and does not grow with time.
 */
export function verletEnergyDriftCases(ctx: SuiteContext): void {
  describe.skipIf(!ctx.supports('pairwiseGravity'))('velocity Verlet energy drift', () => {
    it('stays bounded over 10,000 steps and does not grow secularly', { timeout: SLOW_CASE_TIMEOUT }, async () => {
      const n = 48;
      const steps = 10_000;
      const sampleEvery = 10;
      const dt = 1e-3;
      const softening = 0.1;
      const G = 1;
      const start = randomCluster(4242, n, { radius: 1, totalMass: 1 });
      const system = defineSystem({ integrator: 'verlet', rules: [pairwiseGravity({ G, softening })] });
      const E0 = referenceDiagnostics(start, system.rules).total;

      // The fastest motion is two of the heaviest particles passing through each other's softened
      // core, where the pair oscillates at ω² = G·(m_i + m_j)/ε³.
      let maxMass = 0;
      for (const m of start.mass) maxMass = Math.max(maxMass, m);
      const omega = Math.sqrt((G * 2 * maxMass) / softening ** 3);
      const integratorError = (omega * dt) ** 2;
      // float32 rounding of the stored state perturbs the energy by a few U per step, in random
      // directions: a random walk of about U·√steps; 16 of those covers float32 force sums.
      const roundingError = 16 * U * Math.sqrt(steps);
      const bound = integratorError + roundingError;

      const sim = await ctx.create(system, start.clone(), dt);
      const errors: number[] = [];
      for (let done = 0; done < steps; done += sampleEvery) {
        await sim.step(sampleEvery);
        const E = referenceDiagnostics(await sim.read(), system.rules).total;
        errors.push(Math.abs(E - E0) / Math.abs(E0));
      }
      const worst = Math.max(...errors);
      expect(worst, `max |E − E0|/|E0| over ${steps} steps (bound ${bound})`).toBeLessThanOrEqual(bound);

      // Secular drift would make the last third's typical error several times the first third's
      // (5× for a linear drift); a bounded oscillation keeps them alike. Allow 2× plus the rounding
      // random walk.
      const third = Math.floor(errors.length / 3);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const first = mean(errors.slice(0, third));
      const last = mean(errors.slice(errors.length - third));
      expect(last, `mean error of the last third vs the first (${first})`).toBeLessThanOrEqual(2 * first + roundingError);
    });
  });
}
