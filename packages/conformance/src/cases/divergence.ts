import { defineSystem, ParticleState, SimulationDivergedError, uniformGravity } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { expectBitwiseEqual } from '../helpers/compare.js';
import { expectTypedError } from '../helpers/errors.js';
import { FLT_MAX } from '../helpers/float32.js';
import { eulerUnderConstantAcceleration } from '../helpers/kinematics.js';

/**
 * A NaN/Infinity born mid-run: uniform gravity so strong that positions overflow float32 at a
 * step computed here from the exact Euler formula, with a margin that rounding cannot cross.
 */
export function divergenceCases(ctx: SuiteContext): void {
  describe.skipIf(!ctx.supports('uniformGravity'))('divergence', () => {
    const g = 1e37;
    const dt = 1;
    // Initial upward velocities (in units of g·dt). Particles 2 and 5 overflow first, at the same
    // step; the error must name the lower index.
    const launch = [0, 1, 5, 2, 3, 5, 0.5, 3.5];

    /** First step n at which |x_n| or |v_n| exceeds the largest float32, from the exact formula. */
    function overflowStep(v0: number): number {
      for (let n = 1; ; n++) {
        const { x, v } = eulerUnderConstantAcceleration(0, v0, g, dt, n);
        const worst = Math.max(Math.abs(x), Math.abs(v));
        // Values within 1 % of FLT_MAX would make the step depend on rounding: the setup avoids them.
        expect(Math.abs(worst / FLT_MAX - 1), `test setup: step ${n} of v0 ${v0} is too close to overflow`).toBeGreaterThan(0.01);
        if (worst > FLT_MAX) return n;
      }
    }

    const initial = () =>
      ParticleState.from({
        position: launch.map(() => [0, 0, 0]),
        velocity: launch.map((k) => [0, k * g * dt, 0]),
        mass: 1,
      });
    const system = defineSystem({ integrator: 'euler', rules: [uniformGravity({ g: [0, g, 0] })] });

    it('throws SimulationDivergedError naming the step and particle, and rolls back to the last good step', async () => {
      const steps = launch.map((k) => overflowStep(k * g * dt));
      const badStep = Math.min(...steps);
      const badParticle = steps.indexOf(badStep);
      expect(badStep, 'test setup: divergence mid-run, not at the first step').toBeGreaterThan(2);
      expect(steps.filter((s) => s === badStep).length, 'test setup: two particles overflow together').toBe(2);

      const sim = await ctx.create(system, initial(), dt);
      await sim.step(1); // divergence inside a later call: step numbers count the whole run
      const error = await expectTypedError(() => sim.step(20), SimulationDivergedError, 'SIMULATION_DIVERGED', 'overflowing run');
      expect(error.step, 'diverged step').toBe(badStep);
      expect(error.particle, 'first non-finite particle').toBe(badParticle);
      expect(sim.steps, 'steps completed').toBe(badStep - 1);

      const reference = await ctx.create(system, initial(), dt);
      await reference.step(badStep - 1);
      const lastGood = await reference.read();
      expectBitwiseEqual(await sim.read(), lastGood, `state after divergence vs a run of exactly ${badStep - 1} steps`);
      for (const v of lastGood.py) expect(Number.isFinite(v)).toBe(true);
    });
  });
}
