import {
  BackendUnavailableError,
  defineSystem,
  pairwiseGravity,
  potentialEnergy,
  type GravityMethod,
  type ParticleState,
} from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import { SLOW_CASE_TIMEOUT, type SuiteContext } from '../context.js';
import { expectBitwiseEqual } from '../helpers/compare.js';
import { quantile, relativeForceErrors } from '../helpers/gravity-error.js';
import { coldUniformSphere, plummerSphere } from '../scenes/plummer.js';
import { gravityTreeEquilibriumCases } from './gravity-tree-equilibrium.js';

/** Large enough that the error statistics are those of a real tree (at N ≈ 4000 the cold sphere's median is ~1.4e-3). */
const N = 16384;
/** Particles whose error is measured against the direct sum (every N/SAMPLE-th). */
const SAMPLE = 1024;
const SOFTENING = 0.05;
/** A power of two: one Euler step from rest stores v = a·dt with no rounding beyond a's own. */
const DT = 2 ** -10;

const SCENES: readonly { name: string; make: () => ParticleState }[] = [
  { name: 'Plummer sphere (Hénon units)', make: () => plummerSphere(N, 61) },
  { name: 'cold uniform sphere', make: () => coldUniformSphere(N, 62) },
];

/**
 * The accelerations a backend computes, read through the public API: one semi-implicit Euler step
 * from rest gives v = a·dt exactly (dt a power of two), so a = v / dt.
 */
async function accelerations(ctx: SuiteContext, start: ParticleState, method: GravityMethod, theta = 0.5): Promise<Float64Array> {
  const state = start.clone();
  state.vx.fill(0);
  state.vy.fill(0);
  state.vz.fill(0);
  const system = defineSystem({ integrator: 'euler', rules: [pairwiseGravity({ G: 1, softening: SOFTENING, method, theta })] });
  const sim = await ctx.create(system, state, DT);
  await sim.step(1);
  const end = await sim.read();
  const a = new Float64Array(3 * end.count);
  for (let i = 0; i < end.count; i++) {
    a[3 * i] = end.vx[i] / DT;
    a[3 * i + 1] = end.vy[i] / DT;
    a[3 * i + 2] = end.vz[i] / DT;
  }
  sim.dispose();
  return a;
}

/**
 * pairwiseGravity by the Barnes–Hut tree (docs/physics.md "Gravity by tree"), on every backend
 * that declares the capability 'gravity:tree'; every other backend must refuse `method: 'tree'`
 * by name, with that capability as the reason, rather than silently summing all pairs.
 */
export function gravityTreeCases(ctx: SuiteContext): void {
  const hasTree = ctx.backend.capabilities?.includes('gravity:tree') ?? false;
  describe.skipIf(!ctx.supports('pairwiseGravity'))('gravity by tree (Barnes–Hut)', () => {
    if (!hasTree) {
      it("a backend without 'gravity:tree' refuses method 'tree' with that reason", async () => {
        const system = defineSystem({ rules: [pairwiseGravity({ softening: 0.1, method: 'tree' })] });
        const error = await ctx.create(system, plummerSphere(64, 1), 0.01).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(BackendUnavailableError);
        const reasons = (error as BackendUnavailableError).reasons;
        expect(reasons).toEqual([{ name: ctx.backend.name, reason: expect.stringContaining("capability 'gravity:tree'") }]);
      });
      return;
    }

    for (const scene of SCENES) {
      it(
        `${scene.name}, N = ${N}: force error against direct summation for θ = 0.3, 0.5, 0.7 (at 0.5: median ≤ 1e-3, p99 ≤ 1e-2)`,
        async () => {
          const start = scene.make();
          const rows: string[] = [];
          const medians: number[] = [];
          for (const theta of [0.3, 0.5, 0.7]) {
            const a = await accelerations(ctx, start, 'tree', theta);
            const errors = relativeForceErrors(start, a, SOFTENING * SOFTENING, 1, N / SAMPLE);
            const median = quantile(errors, 0.5);
            const p99 = quantile(errors, 0.99);
            medians.push(median);
            rows.push(`θ = ${theta}: median ${median.toExponential(2)}, p99 ${p99.toExponential(2)}`);
            if (theta === 0.5) {
              expect(median, `median at θ = 0.5`).toBeLessThanOrEqual(1e-3);
              expect(p99, `p99 at θ = 0.5`).toBeLessThanOrEqual(1e-2);
            }
          }
          console.log(`[gravity tree] ${ctx.backend.name}, ${scene.name}, N = ${N}, ε = ${SOFTENING}: ${rows.join('; ')}`);
          // An approximation that improves as θ shrinks (quadrupoles: faster than θ²), yet is not the direct sum.
          expect(medians[0]).toBeGreaterThan(0);
          expect(medians[0]).toBeLessThan(medians[1]);
          expect(medians[1]).toBeLessThan(medians[2]);
          expect(medians[2] / medians[0]).toBeGreaterThan((0.7 / 0.3) ** 2);
        },
        SLOW_CASE_TIMEOUT,
      );
    }

    it(
      'the potential energy in diagnostics is the tree’s, within 1e-3 of the all-pairs sum',
      async () => {
        const start = plummerSphere(4096, 63);
        const system = defineSystem({ rules: [pairwiseGravity({ G: 1, softening: SOFTENING, method: 'tree' })] });
        const sim = await ctx.create(system, start.clone(), 0.01);
        const tree = (await sim.diagnostics()).potential;
        const direct = potentialEnergy(start, system);
        const relative = Math.abs(tree - direct) / Math.abs(direct);
        console.log(`[gravity tree] ${ctx.backend.name}: potential energy, N = 4096, θ = 0.5: relative error ${relative.toExponential(2)}`);
        expect(relative).toBeLessThan(1e-3);
      },
      SLOW_CASE_TIMEOUT,
    );

    it(
      'is deterministic: repeated runs and 1 or 2 threads give the same bits',
      async () => {
        const start = plummerSphere(3000, 64);
        const system = defineSystem({ integrator: 'verlet', rules: [pairwiseGravity({ G: 1, softening: SOFTENING, method: 'tree' })] });
        const runs: ParticleState[] = [];
        for (const threads of [1, 1, 2]) {
          const sim = await ctx.create(system, start.clone(), 1 / 64, { threads });
          await sim.step(5);
          runs.push((await sim.read()).clone());
          sim.dispose();
        }
        expectBitwiseEqual(runs[1], runs[0], 'second run');
        expectBitwiseEqual(runs[2], runs[0], '2 threads');
      },
      SLOW_CASE_TIMEOUT,
    );

    gravityTreeEquilibriumCases(ctx);
  });
}
