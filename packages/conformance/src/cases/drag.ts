import { defineSystem, drag, ParticleState, uniformGravity, type Integrator } from '@brokenrecord/core';
import { describe, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { expectNear } from '../helpers/compare.js';
import { f32, kickDriftTolerance } from '../helpers/float32.js';

/**
 * Linear drag with gravity, a velocity-dependent force, against the step order of docs/physics.md
 * replayed here one particle at a time: forces are evaluated with the velocity as it is at that
 * point of the step (`a = g − k·v`), so for Verlet step 1 uses the velocity at the start of the
 * step and step 5 the drifted half-step velocity. Values are rounded to float32 where a backend
 * stores them; what remains is the rounding of intermediate arithmetic.
 */
function replay(integrator: Integrator, x0: number, v0: number, g: number, k: number, dt: number, n: number) {
  let x = f32(x0);
  let v = f32(v0);
  let xMax = Math.abs(x);
  let vMax = Math.abs(v);
  for (let s = 0; s < n; s++) {
    if (integrator === 'euler') {
      v = f32(v + (g - k * v) * dt);
      x = f32(x + v * dt);
    } else {
      v = f32(v + (g - k * v) * (dt / 2));
      x = f32(x + v * dt);
      v = f32(v + (g - k * v) * (dt / 2));
    }
    xMax = Math.max(xMax, Math.abs(x));
    vMax = Math.max(vMax, Math.abs(v));
  }
  return { x, v, xMax, vMax };
}

export function dragCases(ctx: SuiteContext): void {
  describe.skipIf(!ctx.supports('drag', 'uniformGravity'))('drag', () => {
    for (const integrator of ['euler', 'verlet'] as Integrator[]) {
      it(`${integrator}: follows the step order of docs/physics.md with a = g − k·v`, async () => {
        const g = [0, -9.81, 2] as const;
        const k = 0.5;
        const dt = 0.01;
        const start = ParticleState.from({
          position: [
            [0, 1, 0],
            [5, -3, 2],
            [-1, 20, 0.5],
          ],
          velocity: [
            [3, 2, 0],
            [-8, 15, 1],
            [0, -4, -6],
          ],
          mass: [1, 2, 0.5],
        });
        const system = defineSystem({ integrator, rules: [uniformGravity({ g }), drag({ k })] });
        const sim = await ctx.create(system, start.clone(), dt);
        let done = 0;
        for (const n of [1, 10, 200]) {
          await sim.step(n - done);
          done = n;
          const s = await sim.read();
          for (let i = 0; i < start.count; i++) {
            for (const [axis, p, v] of [
              [0, 'px', 'vx'],
              [1, 'py', 'vy'],
              [2, 'pz', 'vz'],
            ] as const) {
              const expected = replay(integrator, start.column(p)[i], start.column(v)[i], g[axis], k, dt, n);
              // The replay rounds where a backend stores; a backend computing in float32 also rounds
              // g·dt, k·v and the products: the same per-step budget as for uniform gravity, with the
              // acceleration bounded by |g| + k·|v|max.
              const tolerance = kickDriftTolerance({
                n,
                dt,
                xMax: expected.xMax,
                vMax: expected.vMax,
                aMax: Math.abs(g[axis]) + k * expected.vMax,
              });
              expectNear(s.column(p)[i], expected.x, tolerance.position, `particle ${i} ${p} after ${n} steps`);
              expectNear(s.column(v)[i], expected.v, tolerance.velocity, `particle ${i} ${v} after ${n} steps`);
            }
          }
        }
      });
    }
  });
}
