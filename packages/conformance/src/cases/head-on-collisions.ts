import { collisions, defineSystem, ParticleState } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { expectNear, expectVectorNear } from '../helpers/compare.js';
import { U } from '../helpers/float32.js';
import { referenceDiagnostics } from '../helpers/reference-diagnostics.js';

type Vec = [number, number, number];

/**
 * A pair of spheres that overlap and approach at the start, with only the collisions rule: the
 * first step's contact phase applies exactly one impulse, whose effect is known in closed form.
 */
export function headOnCollisionCases(ctx: SuiteContext): void {
  describe.skipIf(!ctx.supports('collisions'))('two-sphere collisions', () => {
    const dt = 0.01;

    /** Two spheres of radius 0.5 whose centres are 0.9 apart along `axis` (unit), overlapping by 0.1. */
    function pair(axis: Vec, masses: [number, number], v1: Vec, v2: Vec): ParticleState {
      const half = 0.45;
      return ParticleState.from({
        position: [axis.map((a) => -half * a), axis.map((a) => half * a)],
        velocity: [v1, v2],
        mass: masses,
        radius: 0.5,
      });
    }

    /**
     * The impulse passes through about eight float32 operations (difference, length, normalisation,
     * dot product, impulse, the two updates), each erring by at most U relative to the speeds
     * involved; 16·U of the largest speed leaves a factor two for approximate reciprocal square
     * roots refined by a Newton step.
     */
    const velocityTolerance = (speedScale: number) => 16 * U * speedScale;

    /** Velocities after the impulse of docs/physics.md, in float64, with n the unit vector 1→2. */
    function afterImpulse(state: ParticleState, e: number): { v1: Vec; v2: Vec; u: number; mu: number } {
      const d: Vec = [state.px[1] - state.px[0], state.py[1] - state.py[0], state.pz[1] - state.pz[0]];
      const len = Math.hypot(...d);
      const n = d.map((x) => x / len) as Vec;
      const v1: Vec = [state.vx[0], state.vy[0], state.vz[0]];
      const v2: Vec = [state.vx[1], state.vy[1], state.vz[1]];
      const [m1, m2] = [state.mass[0], state.mass[1]];
      const u = (v2[0] - v1[0]) * n[0] + (v2[1] - v1[1]) * n[1] + (v2[2] - v1[2]) * n[2];
      expect(u, 'test setup: the spheres must approach').toBeLessThan(0);
      const J = (-(1 + e) * u) / (1 / m1 + 1 / m2);
      return {
        v1: v1.map((x, k) => x - (J * n[k]) / m1) as Vec,
        v2: v2.map((x, k) => x + (J * n[k]) / m2) as Vec,
        u,
        mu: (m1 * m2) / (m1 + m2),
      };
    }

    const velocitiesOf = (s: ParticleState, i: number): Vec => [s.vx[i], s.vy[i], s.vz[i]];
    const speedScale = (...vs: Vec[]) => Math.max(...vs.map((v) => Math.hypot(...v)));

    it('equal masses, e = 1: the velocities are exchanged (along an axis and along an oblique line)', async () => {
      const oblique: Vec = [1 / 3, 2 / 3, -2 / 3];
      for (const axis of [[1, 0, 0], [0, 0, 1], oblique] as Vec[]) {
        const v1 = axis.map((a) => 2 * a) as Vec;
        const v2 = axis.map((a) => -1.5 * a) as Vec;
        const start = pair(axis, [1, 1], v1, v2);
        const sim = await ctx.create(defineSystem({ rules: [collisions({ restitution: 1 })] }), start.clone(), dt);
        await sim.step(1);
        const end = await sim.read();
        const tol = velocityTolerance(speedScale(v1, v2));
        // The float32 start values, not the float64 ones: the exchange is exact for what was stored.
        expectVectorNear(velocitiesOf(end, 0), velocitiesOf(start, 1), tol, `axis ${axis}: body 0 velocity`);
        expectVectorNear(velocitiesOf(end, 1), velocitiesOf(start, 0), tol, `axis ${axis}: body 1 velocity`);
        // Still overlapping but now separating: the next step must not collide them again.
        const separated = [velocitiesOf(end, 0), velocitiesOf(end, 1)];
        await sim.step(1);
        const later = await sim.read();
        expectVectorNear(velocitiesOf(later, 0), separated[0], 0, `axis ${axis}: body 0 after separating`);
        expectVectorNear(velocitiesOf(later, 1), separated[1], 0, `axis ${axis}: body 1 after separating`);
      }
    });

    it('unequal masses, e = 1: the impulse formula, momentum and kinetic energy hold', async () => {
      const axis: Vec = [0.6, 0.8, 0];
      const start = pair(axis, [1, 3], [2, 0.5, 0.25], [-1, 0.25, 0.1]);
      const expected = afterImpulse(start, 1);
      const sim = await ctx.create(defineSystem({ rules: [collisions({ restitution: 1 })] }), start.clone(), dt);
      await sim.step(1);
      const end = await sim.read();
      const scale = speedScale(velocitiesOf(start, 0), velocitiesOf(start, 1), expected.v1, expected.v2);
      const tol = velocityTolerance(scale);
      expectVectorNear(velocitiesOf(end, 0), expected.v1, tol, 'light body velocity');
      expectVectorNear(velocitiesOf(end, 1), expected.v2, tol, 'heavy body velocity');
      const before = referenceDiagnostics(start, []);
      const after = referenceDiagnostics(end, []);
      // Each velocity component within tol moves Σ m v by at most (Σ m)·tol and ½ m v² by m·|v|·tol.
      expectVectorNear(after.momentum, before.momentum, after.mass * tol, 'momentum');
      expectNear(after.kinetic, before.kinetic, 3 * before.scale.momentum * tol, 'kinetic energy (e = 1)');
    });

    for (const e of [0.5, 0]) {
      it(`e = ${e}: kinetic energy drops by exactly ½·μ·(1 − e²)·u² and momentum holds`, async () => {
        const axis: Vec = [0, 0.6, -0.8];
        const start = pair(axis, [2, 0.5], [0.3, 1.5, -2], [-0.2, -1, 1]);
        const expected = afterImpulse(start, e);
        const sim = await ctx.create(defineSystem({ rules: [collisions({ restitution: e })] }), start.clone(), dt);
        await sim.step(1);
        const end = await sim.read();
        const tol = velocityTolerance(speedScale(velocitiesOf(start, 0), velocitiesOf(start, 1)));
        expectVectorNear(velocitiesOf(end, 0), expected.v1, tol, 'body 0 velocity');
        expectVectorNear(velocitiesOf(end, 1), expected.v2, tol, 'body 1 velocity');
        const before = referenceDiagnostics(start, []);
        const after = referenceDiagnostics(end, []);
        const predictedLoss = 0.5 * expected.mu * (1 - e * e) * expected.u ** 2;
        expect(predictedLoss, 'test setup: a loss to measure').toBeGreaterThan(0.1 * before.kinetic);
        expectNear(before.kinetic - after.kinetic, predictedLoss, 3 * before.scale.momentum * tol, 'kinetic energy lost');
        expectVectorNear(after.momentum, before.momentum, after.mass * tol, 'momentum');
        if (e === 0) {
          // Perfectly inelastic along the normal: no relative normal velocity is left.
          const n = axis;
          const u = (end.vx[1] - end.vx[0]) * n[0] + (end.vy[1] - end.vy[0]) * n[1] + (end.vz[1] - end.vz[0]) * n[2];
          expectNear(u, 0, 2 * tol, 'relative normal velocity after e = 0');
        }
      });
    }
  });
}
