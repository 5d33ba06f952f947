import { bounds, collisions, defineSystem, ParticleState, uniformGravity, type Rule } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import { SLOW_CASE_TIMEOUT, type SuiteContext } from '../context.js';
import { Random } from '../helpers/random.js';

/**
 * The box is dyadic (every bound and radius a small power-of-two fraction), so `min + r` and
 * `max − r` are exact in float32 and "inside the box" can be checked without any tolerance.
 */
const MIN = [-4, 0, -4] as const;
const MAX = [4, 8, 4] as const;
const AXES = ['x', 'y', 'z'] as const;
const P = ['px', 'py', 'pz'] as const;
const V = ['vx', 'vy', 'vz'] as const;

export function wallBounceCases(ctx: SuiteContext): void {
  describe.skipIf(!ctx.supports('bounds'))('bounds', () => {
    const dt = 0.01;
    const r = 0.5;

    for (const e of [1, 0.5]) {
      it(`a sphere touching a face while moving outward is reflected with restitution ${e}`, async () => {
        // Particle 2k touches the min face of axis k, 2k+1 the max face, each moving outward at 2
        // with tangential velocity 0.75 that the wall must not change. Six more move outward but sit
        // a little away from the faces, and six touch a face while moving inward: both untouched.
        const position: number[][] = [];
        const velocity: number[][] = [];
        for (let k = 0; k < 3; k++) {
          for (const side of [-1, 1]) {
            const touching = [0, 4, 0];
            touching[k] = side < 0 ? MIN[k] + r : MAX[k] - r;
            const v = [0.75, 0.75, 0.75];
            v[k] = 2 * side;
            position.push(touching);
            velocity.push(v);
          }
        }
        for (let k = 0; k < 3; k++) {
          for (const side of [-1, 1]) {
            const near = [0, 4, 0];
            near[k] = side < 0 ? MIN[k] + r + 0.25 : MAX[k] - r - 0.25;
            const v = [0, 0, 0];
            v[k] = 2 * side; // 0.02 per step: does not reach the face within the step
            position.push(near);
            velocity.push(v);
          }
        }
        for (let k = 0; k < 3; k++) {
          for (const side of [-1, 1]) {
            const touching = [0, 4, 0];
            touching[k] = side < 0 ? MIN[k] + r : MAX[k] - r;
            const v = [0, 0, 0];
            v[k] = -2 * side;
            position.push(touching);
            velocity.push(v);
          }
        }
        const start = ParticleState.from({ position, velocity, mass: 1, radius: r });
        const system = defineSystem({ rules: [bounds({ min: MIN, max: MAX, restitution: e })] });
        const sim = await ctx.create(system, start.clone(), dt);
        await sim.step(1);
        const end = await sim.read();
        for (let i = 0; i < start.count; i++) {
          const reflectedAxis = i < 6 ? Math.floor(i / 2) : -1;
          for (let k = 0; k < 3; k++) {
            const v0 = start.column(V[k])[i];
            // −e·v is exact here (e ∈ {1, 0.5}, v = ±2), so the comparison is exact.
            const expected = k === reflectedAxis ? -e * v0 : v0;
            expect(end.column(V[k])[i], `particle ${i} v${AXES[k]}`).toBe(expected);
            expect(end.column(P[k])[i], `particle ${i} ${AXES[k]} moved by the new velocity`).toBeCloseTo(
              start.column(P[k])[i] + expected * dt,
              5,
            );
          }
        }
      });
    }

    it('clamps a particle that would overshoot a face onto it, then reflects it on the next step', async () => {
      // 0.1 from the min-x face, moving at −100 (1 per step): the drift overshoots, the clamp puts
      // the centre at min + r; that step it was not yet touching, so its velocity is unchanged.
      const start = ParticleState.from({ position: [[MIN[0] + r + 0.125, 4, 0]], velocity: [[-100, 0, 0]], mass: 1, radius: r });
      const sim = await ctx.create(defineSystem({ rules: [bounds({ min: MIN, max: MAX, restitution: 0.5 })] }), start.clone(), dt);
      await sim.step(1);
      let s = await sim.read();
      expect(s.px[0], 'clamped onto the face').toBe(MIN[0] + r);
      expect(s.vx[0], 'not reflected before touching').toBe(-100);
      await sim.step(1);
      s = await sim.read();
      expect(s.vx[0], 'reflected once touching').toBe(50);
      expect(s.px[0], 'moved away with the reflected velocity').toBeCloseTo(MIN[0] + r + 50 * dt, 5);
    });

    it('keeps bouncing off a face whose limit max − r is not exact in float32 (never sticks to it)', async () => {
      // max − r = 9.7 rounds DOWN to float32, so a clamped centre sits a hair short of touching in
      // exact arithmetic. The contact test must use the same float32 limit as the clamp, or the
      // particle stays pinned to the wall with gravity pumping its outward speed up every step.
      const radius = 0.3;
      const g = 9.81;
      const system = defineSystem({
        rules: [uniformGravity({ g: [g, 0, 0] }), bounds({ min: [0, 0, 0], max: [10, 10, 10], restitution: 1 })],
      });
      const sim = await ctx.create(system, ParticleState.from({ position: [[9, 5, 5]], velocity: [[1, 0, 0]], mass: 1, radius }), dt);
      // Energy bound for a bounce against the +x wall: v² ≤ v0² + 2 g (wall − x0). Each clamp can
      // add up to g·|v|·dt of energy (it moves the centre back against gravity), so allow 10 %.
      // A stuck particle is not close: its speed grows by g·dt every step, to ~40 here.
      const vmax = 1.1 * Math.sqrt(1 + 2 * g * (10 - radius - 9));
      let fastest = 0;
      let reversals = 0;
      let previous = 1;
      for (let s = 0; s < 40; s++) {
        await sim.step(10);
        const now = await sim.read();
        fastest = Math.max(fastest, Math.abs(now.vx[0]));
        if (Math.sign(now.vx[0]) !== Math.sign(previous) && now.vx[0] !== 0) reversals++;
        previous = now.vx[0];
        expect(now.px[0]).toBeLessThanOrEqual(Math.fround(10 - radius));
      }
      expect(fastest).toBeLessThan(vmax);
      expect(reversals).toBeGreaterThan(2); // it really bounced, repeatedly
    });

    it(
      'keeps every centre within [min + r, max − r] after every step of a long run with gravity',
      { timeout: SLOW_CASE_TIMEOUT },
      async () => {
        const random = new Random(0xb0c5);
        const n = 160;
        const radii = [0.125, 0.25, 0.375, 0.5];
        const position: number[][] = [];
        const velocity: number[][] = [];
        const radius: number[] = [];
        for (let i = 0; i < n; i++) {
          const ri = random.pick(radii);
          radius.push(ri);
          position.push([0, 1, 2].map((k) => random.uniform(MIN[k] + ri, MAX[k] - ri)));
          velocity.push([0, 1, 2].map(() => random.uniform(-6, 6)));
        }
        // Every particle of the first row starts touching a face, and a few move faster than a box
        // width per step, so clamping is exercised from the first step on.
        for (let k = 0; k < 3; k++) {
          position[k][k] = MIN[k] + radius[k];
          velocity[k][k] = -6;
          velocity[3 + k][k] = 900;
        }
        const rules: Rule[] = [uniformGravity({ g: [0, -9.81, 0] }), bounds({ min: MIN, max: MAX, restitution: 0.9 })];
        // Collisions push particles into walls and each other, the hard case for staying inside.
        if (ctx.supports('collisions')) rules.push(collisions({ restitution: 1 }));
        const start = ParticleState.from({ position, velocity, mass: 1, radius });
        const sim = await ctx.create(defineSystem({ rules }), start, dt);

        const check = async (step: number) => {
          const s = await sim.read();
          for (let i = 0; i < s.count; i++) {
            for (let k = 0; k < 3; k++) {
              const x = s.column(P[k])[i];
              const lo = MIN[k] + s.radius[i];
              const hi = MAX[k] - s.radius[i];
              if (!(x >= lo && x <= hi)) {
                expect.fail(`after step ${step}: particle ${i} ${AXES[k]} = ${x} is outside [${lo}, ${hi}]`);
              }
            }
          }
        };
        for (let step = 1; step <= 300; step++) {
          await sim.step(1);
          await check(step);
        }
        for (let step = 350; step <= 1300; step += 50) {
          await sim.step(50);
          await check(step);
        }
      },
    );
  });
}
