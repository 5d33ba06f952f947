import { defineSystem, pairwiseGravity, ParticleState } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { U } from '../helpers/float32.js';
import { referenceDiagnostics } from '../helpers/reference-diagnostics.js';

/**
 * Two equal masses (G = 1, m = 1) a distance d = 1 apart, each on a circle of radius r = d/2 about
 * the centre of mass. Gravity G·m²/d² = 1 supplies the centripetal force m·v²/r, so v = √r and
 * the period is T = 2πr/v. After one period, integrated with velocity Verlet in N steps, both
 * bodies must be back where they started.
 */
export function twoBodyOrbitCases(ctx: SuiteContext): void {
  describe.skipIf(!ctx.supports('pairwiseGravity'))('two-body circular orbit (velocity Verlet)', () => {
    const r = 0.5;
    const v = Math.sqrt(r);
    const period = (2 * Math.PI * r) / v;
    const stepsPerPeriod = 1000;
    const dt = period / stepsPerPeriod;
    const initial = () =>
      ParticleState.from({
        position: [
          [-r, 0, 0],
          [r, 0, 0],
        ],
        velocity: [
          [0, -v, 0],
          [0, v, 0],
        ],
        mass: [1, 1],
      });
    const system = defineSystem({ integrator: 'verlet', rules: [pairwiseGravity({ G: 1, softening: 0 })] });

    it('returns each body to its start after one period, within 0.1 % of the circumference', async () => {
      const start = initial();
      const sim = await ctx.create(system, start.clone(), dt);
      await sim.step(stepsPerPeriod);
      const end = await sim.read();
      const circumference = 2 * Math.PI * r;
      for (let i = 0; i < 2; i++) {
        const miss = Math.hypot(end.px[i] - start.px[i], end.py[i] - start.py[i], end.pz[i] - start.pz[i]);
        expect(miss, `body ${i} missed its start by ${miss}`).toBeLessThanOrEqual(1e-3 * circumference);
      }
      // Half a period later the bodies are opposite their starts: the orbit really went round.
      await sim.step(stepsPerPeriod / 2);
      const half = await sim.read();
      expect(Math.abs(half.px[0] - r), 'body 0 after 1.5 periods').toBeLessThanOrEqual(1e-3 * circumference);
    });

    it('keeps energy and angular momentum over one period', async () => {
      const start = initial();
      const sim = await ctx.create(system, start.clone(), dt);
      const before = referenceDiagnostics(start, system.rules);
      // Velocity Verlet's energy error stays bounded at O((ω·dt)²) relative, ω = 2π/T the orbital
      // frequency: (2π/1000)² ≈ 4e-5. Angular momentum it keeps exactly for central forces, in exact
      // arithmetic. On top of both comes float32 rounding: every step rounds each stored position and
      // velocity (≤ U relative each) and the force evaluation (a few U); summed over the period in
      // the worst case (all errors of one sign) that is stepsPerPeriod · 4U ≈ 2.4e-4.
      const rounding = stepsPerPeriod * 4 * U;
      const energyTolerance = ((2 * Math.PI) / stepsPerPeriod) ** 2 + rounding;
      const angularTolerance = rounding;
      for (let k = 0; k < 10; k++) {
        await sim.step(stepsPerPeriod / 10);
        const now = referenceDiagnostics(await sim.read(), system.rules);
        const energyDrift = Math.abs(now.total - before.total) / Math.abs(before.total);
        expect(energyDrift, `relative energy drift after ${(k + 1) / 10} period`).toBeLessThanOrEqual(energyTolerance);
        const dL = Math.hypot(...now.angularMomentum.map((x, c) => x - before.angularMomentum[c]));
        const L = Math.hypot(...before.angularMomentum);
        expect(dL / L, `relative angular momentum drift after ${(k + 1) / 10} period`).toBeLessThanOrEqual(angularTolerance);
      }
    });
  });
}
