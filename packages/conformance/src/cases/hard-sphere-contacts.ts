import { bounds, COLLISION_SWEEP_LIMIT, collisions, defineSystem, ParticleState } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import { SLOW_CASE_TIMEOUT, type SuiteContext } from '../context.js';
import { bruteForceContactVelocities } from '../helpers/brute-force-collisions.js';
import { columnBits, columnRelativeDifference, expectNear, expectVectorNear } from '../helpers/compare.js';
import { U } from '../helpers/float32.js';
import { Random } from '../helpers/random.js';
import { referenceDiagnostics } from '../helpers/reference-diagnostics.js';

/**
 * Hard spheres in crowds (docs/physics.md, "Collisions"): sequential exact binary impulses, swept
 * until no touching pair approaches. Each case is one a summed (Jacobi) resolution fails: a blow
 * that must cross a whole row in one step, spheres touching several others at once, an elastic
 * gas whose energy must not drift, inelastic crowds whose losses must be exactly the restitution's.
 */
export function hardSphereContactCases(ctx: SuiteContext): void {
  describe.skipIf(!ctx.supports('collisions'))('hard spheres in crowds', () => {
    /** A row of `n` unit spheres of radius 0.5 along x, each overlapping the next by 0.001, at rest. */
    function cradle(n: number, moving: number, speed: number): ParticleState {
      return ParticleState.from({
        position: Array.from({ length: n }, (_, k) => [0.999 * k, 0, 0]),
        velocity: Array.from({ length: n }, (_, k) => [k === moving ? speed : 0, 0, 0]),
        mass: 1,
        radius: 0.5,
      });
    }

    it("Newton's cradle (e = 1): the blow crosses the row in one step and only the last sphere leaves", async () => {
      for (const [moving, speed, last] of [
        [0, 1, 4],
        [4, -1, 0],
      ] as const) {
        const sim = await ctx.create(defineSystem({ rules: [collisions({ restitution: 1 })] }), cradle(5, moving, speed), 1e-3);
        await sim.step(1);
        const after = await sim.read();
        for (let k = 0; k < 5; k++) {
          // Equal masses along an exact axis: each impulse is exactly the exchange of the two speeds.
          expect([after.vx[k] + 0, after.vy[k] + 0, after.vz[k] + 0], `sphere ${k} after the first step (hit at ${moving})`).toEqual([
            k === last ? speed : 0,
            0,
            0,
          ]);
        }
        const x0 = after.px[last]; // read() may return the live state
        await sim.step(200);
        const later = await sim.read();
        for (let k = 0; k < 5; k++) expect(later.vx[k], `sphere ${k} 200 steps later`).toBe(k === last ? speed : 0);
        expect(Math.abs(later.px[last] - x0), 'the last sphere flew off').toBeGreaterThan(0.19);
        expect((await sim.diagnostics()).unresolvedContactSteps).toBe(0);
      }
    });

    it(`a row longer than ${COLLISION_SWEEP_LIMIT} sweeps can resolve stops at the limit and is counted`, async () => {
      // Hit from the high-index end, the blow moves one sphere per sweep (pairs are swept in index order).
      const n = COLLISION_SWEEP_LIMIT + 6;
      const sim = await ctx.create(defineSystem({ rules: [collisions({ restitution: 1 })] }), cradle(n, n - 1, -1), 1e-3);
      await sim.step(1);
      const after = await sim.read();
      const carrier = n - 1 - COLLISION_SWEEP_LIMIT;
      for (let k = 0; k < n; k++) expect(after.vx[k], `sphere ${k}`).toBe(k === carrier ? -1 : 0);
      expect((await sim.diagnostics()).unresolvedContactSteps, 'steps left unresolved').toBe(1);
      await sim.step(1);
      expect((await sim.diagnostics()).unresolvedContactSteps, 'the next step finishes the row').toBe(1);
      expect((await sim.read()).vx[0]).toBe(-1);
    });

    /** Spheres each overlapping several others: a ring of 8 around a central one, and a tight cluster. */
    function crowd(seed: number): ParticleState {
      const random = new Random(seed);
      const position: number[][] = [[0, 0, 0]];
      for (let k = 0; k < 8; k++) {
        const a = (2 * Math.PI * k) / 8;
        position.push([0.95 * Math.cos(a), 0.95 * Math.sin(a), 0.1 * random.uniform(-1, 1)]);
      }
      for (let k = 0; k < 24; k++) position.push([5 + random.uniform(-0.9, 0.9), random.uniform(-0.9, 0.9), random.uniform(-0.9, 0.9)]);
      return ParticleState.from({
        position,
        velocity: position.map(() => [random.gaussian(), random.gaussian(), random.gaussian()]),
        mass: position.map(() => random.uniform(0.5, 2)),
        radius: position.map(() => random.uniform(0.45, 0.55)),
      });
    }

    it('three or more spheres in simultaneous contact (e = 1) keep kinetic energy, momentum and angular momentum', async () => {
      for (const seed of [1, 2, 3]) {
        const start = crowd(seed);
        const expected = bruteForceContactVelocities(start, 1);
        const perParticle = new Map<number, number>();
        for (const ev of expected.events) for (const k of [ev.i, ev.j]) perParticle.set(k, (perParticle.get(k) ?? 0) + 1);
        expect(Math.max(...perParticle.values()), 'test setup: a sphere takes several impulses').toBeGreaterThanOrEqual(3);
        expect(expected.unresolved, 'test setup: the reference resolves the crowd').toBe(false);
        const sim = await ctx.create(defineSystem({ rules: [collisions({ restitution: 1 })] }), start.clone(), 1e-3);
        await sim.step(1);
        const end = await sim.read();
        for (const c of ['vx', 'vy', 'vz'] as const) {
          const { relative, index } = columnRelativeDifference(end.column(c), expected[c]);
          expect(relative, `seed ${seed}: ${c}[${index}] against the sequential reference`).toBeLessThanOrEqual(1e-5);
        }
        const before = referenceDiagnostics(start, []);
        const after = referenceDiagnostics(end, []);
        // Float32 storage after each impulse: a few U of each speed per impulse taken.
        const tol = 8 * U * expected.events.length * before.scale.momentum;
        expectNear(after.kinetic, before.kinetic, tol * Math.sqrt(before.kinetic / before.mass) * 2, `seed ${seed}: kinetic energy`);
        expectVectorNear(after.momentum, before.momentum, tol, `seed ${seed}: momentum`);
        expectVectorNear(after.angularMomentum, before.angularMomentum, 8 * tol, `seed ${seed}: angular momentum`);
      }
    });

    it('inelastic crowds (e = 0.5): one contact phase loses exactly Σ ½(1 − e²)·μ·u² over its impulses', async () => {
      const e = 0.5;
      for (const seed of [4, 5]) {
        const start = crowd(seed);
        const expected = bruteForceContactVelocities(start, e);
        const predicted = expected.events.reduce((s, ev) => s + 0.5 * (1 - e * e) * ev.mu * ev.u * ev.u, 0);
        const sim = await ctx.create(defineSystem({ rules: [collisions({ restitution: e })] }), start.clone(), 1e-3);
        await sim.step(1);
        const before = referenceDiagnostics(start, []);
        const after = referenceDiagnostics(await sim.read(), []);
        expect(predicted, 'test setup: a loss to measure').toBeGreaterThan(0.05 * before.kinetic);
        expectNear(before.kinetic - after.kinetic, predicted, 1e-5 * before.kinetic, `seed ${seed}: energy lost`);
        expectVectorNear(after.momentum, before.momentum, 1e-5 * before.scale.momentum, `seed ${seed}: momentum`);
      }
    });

    /** `side` cubed spheres of radius 0.5 on a lattice of spacing 1.25 in a closed box, random velocities. */
    function gas(side: number, seed: number): ParticleState {
      const random = new Random(seed);
      const position: number[][] = [];
      for (let x = 0; x < side; x++)
        for (let y = 0; y < side; y++) for (let z = 0; z < side; z++) position.push([x * 1.25, y * 1.25, z * 1.25]);
      return ParticleState.from({
        position,
        velocity: position.map(() => [random.gaussian(), random.gaussian(), random.gaussian()]),
        mass: position.map(() => random.uniform(0.5, 2)),
        radius: 0.5,
      });
    }
    const box = (side: number, e: number) =>
      bounds({ min: [-0.6, -0.6, -0.6], max: [1.25 * side - 0.65, 1.25 * side - 0.65, 1.25 * side - 0.65], restitution: e });

    it(
      'a dense elastic gas in a box (216 spheres, packing 0.27) keeps its kinetic energy over 3,000 steps',
      { timeout: SLOW_CASE_TIMEOUT },
      async () => {
        const side = 6;
        const system = defineSystem({ rules: [collisions({ restitution: 1 }), box(side, 1)] });
        const sim = await ctx.create(system, gas(side, 7), 0.01);
        const k0 = (await sim.diagnostics()).kinetic;
        const samples: number[] = [];
        for (let block = 0; block < 30; block++) {
          await sim.step(100);
          samples.push((await sim.diagnostics()).kinetic / k0 - 1);
        }
        const worst = Math.max(...samples.map(Math.abs));
        // Float32 storage rounds each impulse by ~U of the speeds involved, in random directions;
        // a summed (Jacobi) resolution is off by O(1) of the energies of every multiple contact.
        expect(worst, `relative kinetic energy error over the run: ${samples.map((s) => s.toExponential(1)).join(' ')}`).toBeLessThan(2e-5);
        const d = await sim.diagnostics();
        expect(d.unresolvedContactSteps).toBe(0);
      },
    );

    it('inelastic crowds (e = 0.8) lose kinetic energy at every step, never gain', { timeout: SLOW_CASE_TIMEOUT }, async () => {
      const side = 5;
      const sim = await ctx.create(defineSystem({ rules: [collisions({ restitution: 0.8 }), box(side, 1)] }), gas(side, 8), 0.01);
      let last = (await sim.diagnostics()).kinetic;
      const first = last;
      for (let s = 0; s < 150; s++) {
        await sim.step(2);
        const now = (await sim.diagnostics()).kinetic;
        expect(now, `step ${2 * (s + 1)}: kinetic energy`).toBeLessThanOrEqual(last * (1 + 4 * U));
        last = now;
      }
      expect(last, 'the crowd cooled').toBeLessThan(0.9 * first);
    });

    it('identical results for 1 and 2 threads and between runs', { timeout: SLOW_CASE_TIMEOUT }, async () => {
      const side = 5;
      const system = defineSystem({ rules: [collisions({ restitution: 0.9 }), box(side, 1)] });
      const runs: ReturnType<typeof columnBits>[] = [];
      for (const threads of [1, 2, 1]) {
        const sim = await ctx.create(system, gas(side, 9), 0.01, { threads });
        await sim.step(200);
        runs.push(columnBits(await sim.read()));
      }
      for (const run of runs.slice(1)) {
        for (const c of ['px', 'py', 'pz', 'vx', 'vy', 'vz'] as const) {
          const differs = run[c].findIndex((bits, i) => bits !== runs[0][c][i]);
          expect(differs, `${c}: first particle whose bits differ`).toBe(-1);
        }
      }
    });
  });
}
