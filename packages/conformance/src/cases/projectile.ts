import { defineSystem, ParticleState, uniformGravity } from '@brokenrecord/core';
import { describe, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { expectConstantAccelerationPath } from '../helpers/constant-acceleration-check.js';

/** Projectiles: uniform gravity with horizontal launch velocities, for both integrators. */
export function projectileCases(ctx: SuiteContext): void {
  describe.skipIf(!ctx.supports('uniformGravity'))('projectile', () => {
    const launches = () =>
      ParticleState.from({
        position: [
          [0, 0, 0],
          [10, 2, -5],
          [-20, 50, 3],
        ],
        velocity: [
          [30, 40, 0],
          [-12.5, 0, 7],
          [4, 25, -18],
        ],
        mass: [1, 3, 0.5],
      });

    it('semi-implicit Euler matches x_n = x0 + n·v0·dt + g·dt²·n(n+1)/2', async () => {
      const g = [0, -9.81, 0] as const;
      const dt = 0.005;
      const initial = launches();
      const sim = await ctx.create(defineSystem({ integrator: 'euler', rules: [uniformGravity({ g })] }), initial.clone(), dt);
      let done = 0;
      for (const n of [1, 7, 100, 800]) {
        await sim.step(n - done);
        done = n;
        expectConstantAccelerationPath(await sim.read(), initial, g, dt, n, 'euler', 'Euler projectile');
      }
    });

    it('velocity Verlet matches x_n = x0 + n·v0·dt + g·dt²·n²/2 (exact for uniform gravity)', async () => {
      // A gravity vector with every component non-zero, so every axis carries the n² term.
      const g = [1.5, -9.81, -0.75] as const;
      const dt = 0.005;
      const initial = launches();
      const sim = await ctx.create(defineSystem({ integrator: 'verlet', rules: [uniformGravity({ g })] }), initial.clone(), dt);
      let done = 0;
      for (const n of [1, 7, 100, 800]) {
        await sim.step(n - done);
        done = n;
        expectConstantAccelerationPath(await sim.read(), initial, g, dt, n, 'verlet', 'Verlet projectile');
      }
    });
  });
}
