import { bounds, contacts, defineSystem, ParticleState, uniformGravity, type Rule } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import { SLOW_CASE_TIMEOUT, type SuiteContext } from '../context.js';
import { expectBitwiseEqual, expectColumnsClose, expectNear } from '../helpers/compare.js';
import { bruteForceContactEnergy } from '../helpers/contact-reference.js';
import { Random } from '../helpers/random.js';

/** Backends whose `threads` option splits the work (the others run on a device whatever it says). */
const THREADED = ['ts', 'avx2'];

/** A 3×3×3 lattice of unit spheres 0.95 apart (every neighbour overlaps by 0.05), random velocities. */
function compressedCluster(seed: number): ParticleState {
  const rnd = new Random(seed);
  const position: [number, number, number][] = [];
  const velocity: [number, number, number][] = [];
  const mass: number[] = [];
  for (let x = 0; x < 3; x++)
    for (let y = 0; y < 3; y++)
      for (let z = 0; z < 3; z++) {
        position.push([0.95 * x, 0.95 * y, 0.95 * z]);
        velocity.push([rnd.uniform(-0.5, 0.5), rnd.uniform(-0.5, 0.5), rnd.uniform(-0.5, 0.5)]);
        mass.push(rnd.uniform(0.5, 2));
      }
  return ParticleState.from({ position, velocity, mass, radius: 0.5 });
}

/** `n` spheres of radius 0.5 scattered without overlap in the upper part of a 4×24×4 box, falling. */
function pour(n: number, seed: number): ParticleState {
  const rnd = new Random(seed);
  const position: [number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    // 3×3 columns of spheres, 1.2 apart vertically, jittered so the pile is not a crystal.
    const col = i % 9;
    const row = Math.floor(i / 9);
    position.push([
      0.8 + 1.2 * (col % 3) + rnd.uniform(-0.1, 0.1),
      6 + 1.2 * row,
      0.8 + 1.2 * Math.floor(col / 3) + rnd.uniform(-0.1, 0.1),
    ]);
  }
  return ParticleState.from({ position, velocity: position.map(() => [rnd.uniform(-1, 1), 0, rnd.uniform(-1, 1)]), mass: 1, radius: 0.5 });
}

const BOX = { min: [0, 0, 0] as [number, number, number], max: [4, 24, 4] as [number, number, number] };
const pileRules = (): Rule[] => [
  uniformGravity({ g: [0, -9.81, 0] }),
  contacts({ model: 'hooke', stiffness: 2e4, restitution: 0.3 }),
  bounds({ ...BOX, restitution: 0.3 }),
];

export function softSphereCrowdCases(ctx: SuiteContext): void {
  describe.skipIf(!ctx.supports('contacts'))('soft-sphere contacts: crowds', () => {
    /**
     * Undamped contacts are conservative (F = −∇U): velocity Verlet keeps the total energy to its
     * own O((ω·dt)²) error, with no secular drift. The cluster starts compressed and flies apart
     * through many simultaneous contacts; the worst deviation of kinetic + contact energy must be
     * small, and shrink about four-fold when dt halves (second order, not rounding or a leak).
     */
    it(
      'hooke without damping: energy kept to velocity Verlet error (O(dt²)), momentum exactly',
      async () => {
        const rule = contacts({ model: 'hooke', stiffness: 1e3 });
        const system = defineSystem({ integrator: 'verlet', rules: [rule], conserves: ['energy', 'momentum', 'angularMomentum'] });
        const start = compressedCluster(7);
        const energy = (s: ParticleState) => {
          let k = 0;
          for (let i = 0; i < s.count; i++) k += 0.5 * s.mass[i] * (s.vx[i] ** 2 + s.vy[i] ** 2 + s.vz[i] ** 2);
          return k + bruteForceContactEnergy(s, rule);
        };
        const e0 = energy(start);
        const worst: number[] = [];
        for (const dt of [2e-3, 1e-3]) {
          const sim = await ctx.create(system, start.clone(), dt);
          let w = 0;
          const chunk = Math.round(0.01 / dt);
          for (let t = 0; t < 100; t++) {
            await sim.step(chunk);
            const s = await sim.read();
            w = Math.max(w, Math.abs(energy(s) - e0) / e0);
            if (t === 99) {
              const d = await sim.diagnostics();
              const p = [0, 0, 0];
              let scale = 0;
              for (let i = 0; i < s.count; i++) {
                p[0] += s.mass[i] * s.vx[i];
                p[1] += s.mass[i] * s.vy[i];
                p[2] += s.mass[i] * s.vz[i];
                scale += s.mass[i] * Math.hypot(s.vx[i], s.vy[i], s.vz[i]);
              }
              const p0 = [0, 1, 2].map((k) => {
                let sum = 0;
                for (let i = 0; i < start.count; i++) sum += start.mass[i] * [start.vx, start.vy, start.vz][k][i];
                return sum;
              });
              for (let k = 0; k < 3; k++) expectNear(p[k], p0[k], 1e-5 * scale, `momentum[${k}]`);
              expectNear(d.potential, bruteForceContactEnergy(s, rule), 1e-5 * e0, 'diagnostics: contact potential');
            }
          }
          worst.push(w);
        }
        expect(worst[0], `worst relative energy error at dt = 2e-3: ${worst[0]}`).toBeLessThan(5e-3);
        expect(worst[0] / worst[1], `halving dt divides the energy error by ${worst[0] / worst[1]} (second order: ≈ 4)`).toBeGreaterThan(
          2.5,
        );
        expect(bruteForceContactEnergy(start, rule), 'the cluster starts compressed').toBeGreaterThan(0.3 * e0);
      },
      SLOW_CASE_TIMEOUT,
    );

    /**
     * Spheres poured into a box under gravity with damped contacts come to rest in a pile: nothing
     * leaves the box, the kinetic energy decays to almost nothing, and the contacts carry the
     * weight (no sphere sinks far into another: the deepest overlap stays near m·g·(layers)/k).
     */
    it(
      'a granular pile settles under gravity in a box, inside it, at rest, with shallow overlaps',
      async () => {
        const start = pour(54, 3);
        // ω·dt = sqrt(k/m_eff)·dt = 0.2 (~16 steps per contact): 6 s of settling in 6000 steps.
        const dt = 1e-3;
        const sim = await ctx.create(defineSystem({ integrator: 'verlet', rules: pileRules() }), start.clone(), dt);
        await sim.step(6000);
        const s = await sim.read();
        let kinetic = 0;
        let deepest = 0;
        let top = 0;
        for (let i = 0; i < s.count; i++) {
          for (const [k, col] of [s.px, s.py, s.pz].entries()) {
            expect(col[i], `particle ${i} axis ${k} inside the box`).toBeGreaterThanOrEqual(BOX.min[k] + 0.5);
            expect(col[i], `particle ${i} axis ${k} inside the box`).toBeLessThanOrEqual(BOX.max[k] - 0.5);
          }
          kinetic += 0.5 * s.mass[i] * (s.vx[i] ** 2 + s.vy[i] ** 2 + s.vz[i] ** 2);
          top = Math.max(top, s.py[i]);
          for (let j = i + 1; j < s.count; j++) {
            deepest = Math.max(deepest, 1 - Math.hypot(s.px[j] - s.px[i], s.py[j] - s.py[i], s.pz[j] - s.pz[i]));
          }
        }
        const weight = s.count * 9.81 * 0.5; // m·g·r summed: the energy scale of the pile
        expect(kinetic / weight, `kinetic energy ${kinetic} left in the pile`).toBeLessThan(1e-3);
        // 54 spheres on a 4×4 floor: at most ~7 layers, each contact loaded by ≲ 7·m·g: δ ≲ 70/2e4.
        expect(deepest, `deepest overlap ${deepest}`).toBeLessThan(0.01);
        expect(deepest, 'the pile touches').toBeGreaterThan(0);
        expect(top, `the pile settled low (top sphere at ${top})`).toBeLessThan(10);
      },
      SLOW_CASE_TIMEOUT,
    );

    it('results are identical for 1 and 2 threads, and between runs', async () => {
      const system = defineSystem({ integrator: 'verlet', rules: pileRules() });
      const start = pour(54, 5);
      const runs = THREADED.includes(ctx.backend.name) ? [{ threads: 1 }, { threads: 2 }, { threads: 2 }] : [{}, {}];
      const ends: ParticleState[] = [];
      for (const extra of runs) {
        const sim = await ctx.create(system, start.clone(), 1e-3, extra);
        // Into the collapse: the pile lands after ~900 steps, so contacts are many by the end.
        await sim.step(1200);
        ends.push((await sim.read()).clone());
      }
      for (let k = 1; k < ends.length; k++) expectBitwiseEqual(ends[k], ends[0], `run ${k} (${JSON.stringify(runs[k])}) against run 0`);
    });

    it(`agrees with the reference backend over a short horizon (1e-5 relative)`, async () => {
      const rules = pileRules();
      const system = defineSystem({ integrator: 'verlet', rules });
      // Mid-collapse: start from a pile in motion so many contacts are active at once.
      const warm = await ctx.createReference(system, pour(54, 9), 5e-4);
      await warm.step(2600);
      const state = (await warm.read()).clone();
      const sim = await ctx.create(system, state.clone(), 5e-4);
      const ref = await ctx.createReference(system, state.clone(), 5e-4);
      let touching = 0;
      for (let i = 0; i < state.count; i++)
        for (let j = i + 1; j < state.count; j++)
          if (Math.hypot(state.px[j] - state.px[i], state.py[j] - state.py[i], state.pz[j] - state.pz[i]) < 1) touching++;
      expect(touching, 'contacts active at the start').toBeGreaterThan(10);
      let done = 0;
      for (const n of [1, 10, 40]) {
        await sim.step(n - done);
        await ref.step(n - done);
        done = n;
        const expected = await ref.read();
        expectColumnsClose(await sim.read(), expected, 1e-5, `after ${n} steps`);
        const [d, r] = [await sim.diagnostics(), await ref.diagnostics()];
        expectNear(d.potential, r.potential, 1e-5 * (r.kinetic + Math.abs(r.potential)), `potential after ${n} steps`);
      }
    });
  });
}
