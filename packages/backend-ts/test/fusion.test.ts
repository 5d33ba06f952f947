import { describe, expect, it } from 'vitest';
import { bounds, defineSystem, drag, uniformGravity, type Integrator, type Rule } from '@brokenrecord/core';
import { createContext, firstBitDifference, randomCloud, run } from './helpers.js';

const box = bounds({ min: [-5, -5, -5], max: [5, 5, 5], restitution: 0.8 });
const ruleSets: Array<[string, Rule[]]> = [
  ['uniform gravity', [uniformGravity()]],
  ['gravity + drag', [uniformGravity({ g: [0.3, -9.81, 0.1] }), drag({ k: 0.7 })]],
  ['gravity + bounds', [uniformGravity(), box]],
  ['drag + bounds + two gravities', [drag({ k: 0.2 }), uniformGravity({ g: [1, 0, 0] }), box, uniformGravity({ g: [0, -3, 2] })]],
];

describe('step fusion', () => {
  for (const integrator of ['euler', 'verlet'] as Integrator[]) {
    for (const [name, rules] of ruleSets) {
      it(`${integrator}, ${name}: fused n steps equal unfused steps bitwise`, async () => {
        const system = defineSystem({ integrator, rules });
        // Some particles start outside the box and get clamped; speeds large enough to hit walls.
        const start = randomCloud(401, 17, { extent: 6, speed: 20, radius: [0, 0.5] });
        const fused = await run(system, start, 337, { dt: 0.01, fuse: true });
        const unfused = await run(system, start, 337, { dt: 0.01, fuse: false });
        expect(firstBitDifference(fused, unfused)).toBeNull();
        expect(firstBitDifference(fused, start)).not.toBeNull(); // something moved
      });
    }
  }

  it('bounds keep every particle inside the box, fused or not', async () => {
    const system = defineSystem({ rules: [uniformGravity(), box] });
    const start = randomCloud(300, 3, { extent: 8, speed: 50, radius: [0.1, 1] });
    for (const fuse of [true, false]) {
      const end = await run(system, start, 500, { dt: 0.01, fuse });
      for (let i = 0; i < end.count; i++) {
        const r = end.radius[i];
        for (const [k, col] of [end.px, end.py, end.pz].entries()) {
          expect(col[i]).toBeGreaterThanOrEqual(Math.fround(box.options.min[k] + r));
          expect(col[i]).toBeLessThanOrEqual(Math.fround(box.options.max[k] - r));
        }
      }
    }
  });

  for (const integrator of ['euler', 'verlet'] as Integrator[]) {
    it(`${integrator}: step(n) in one call equals n calls of step(1)`, async () => {
      const system = defineSystem({ integrator, rules: [uniformGravity(), drag({ k: 0.5 }), box] });
      const start = randomCloud(200, 23, { extent: 4, speed: 10, radius: [0, 0.3] });
      const once = await run(system, start, 50, { dt: 0.02 });
      for (const fuse of [true, false]) {
        const stepped = start.clone();
        const ctx = await createContext(system, stepped, { dt: 0.02, fuse });
        for (let s = 0; s < 50; s++) ctx.step(1);
        await ctx.dispose();
        expect(firstBitDifference(stepped, once)).toBeNull();
      }
    });
  }
});
