import {
  defineSystem,
  pairwiseGravity,
  ParticleState,
  uniformGravity,
  type Diagnostics,
  type Rule,
  type RuleKind,
} from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { expectNear } from '../helpers/compare.js';
import { U } from '../helpers/float32.js';
import { referenceDiagnostics } from '../helpers/reference-diagnostics.js';

/**
 * sim.diagnostics() against the definitions (docs/physics.md, "Diagnostics") evaluated here in
 * float64 on the state the backend reports. CPUs accumulate in float64; GPUs may reduce in
 * float32, whose error is at most (terms − 1)·U of the sum of the terms' magnitudes (recursive
 * summation bound; a tree is tighter). Twice that is the tolerance.
 */
export function diagnosticsCases(ctx: SuiteContext): void {
  const cases: { name: string; kinds: RuleKind[]; rules: Rule[] }[] = [
    { name: 'no potential (kinetic only)', kinds: [], rules: [] },
    { name: 'uniform gravity', kinds: ['uniformGravity'], rules: [uniformGravity({ g: [0.5, -9.81, 2] })] },
    { name: 'pairwise gravity', kinds: ['pairwiseGravity'], rules: [pairwiseGravity({ G: 2, softening: 0.3 })] },
    {
      name: 'both gravities',
      kinds: ['uniformGravity', 'pairwiseGravity'],
      rules: [uniformGravity({ g: [0, -1, 0] }), pairwiseGravity({ G: 0.7, softening: 0 })],
    },
  ];
  describe('diagnostics', () => {
    for (const { name, kinds, rules } of cases) {
      it.skipIf(!ctx.supports(...kinds))(`${name}: match a direct float64 computation, before and after stepping`, async () => {
        const state = ParticleState.from({
          position: [
            [1, 2, 3],
            [-2, 0.5, 1],
            [0, -1.5, -2],
            [3, 3, -1],
            [-0.25, 0.75, 4],
          ],
          velocity: [
            [0.5, -1, 2],
            [1, 1, 0],
            [-3, 0.25, 1],
            [0, 0, -1],
            [2, -2, 0.5],
          ],
          mass: [1, 2.5, 0.5, 4, 1.25],
          radius: 0.1,
        });
        const system = defineSystem({ integrator: 'verlet', rules });
        const sim = await ctx.create(system, state, 0.01);
        for (const steps of [0, 7]) {
          await sim.step(steps);
          const expected = referenceDiagnostics(await sim.read(), rules);
          expectDiagnostics(await sim.diagnostics(), expected, `after ${steps} steps`);
        }
      });
    }
  });
}

function expectDiagnostics(actual: Diagnostics, expected: ReturnType<typeof referenceDiagnostics>, at: string): void {
  // 5 particles: at most 10 potential pair terms, 5 terms for every other sum.
  const reduction = (terms: number) => 2 * (terms - 1) * U;
  const { scale } = expected;
  expectNear(actual.kinetic, expected.kinetic, reduction(5) * expected.kinetic, `${at}: kinetic`);
  expectNear(actual.potential, expected.potential, reduction(15) * (scale.energy - expected.kinetic), `${at}: potential`);
  expectNear(actual.total, expected.total, reduction(20) * scale.energy, `${at}: total`);
  expectNear(actual.mass, expected.mass, reduction(5) * expected.mass, `${at}: total mass`);
  for (let k = 0; k < 3; k++) {
    expectNear(actual.momentum[k], expected.momentum[k], reduction(5) * scale.momentum, `${at}: momentum[${k}]`);
    expectNear(
      actual.angularMomentum[k],
      expected.angularMomentum[k],
      reduction(10) * scale.angularMomentum,
      `${at}: angularMomentum[${k}]`,
    );
    expectNear(actual.centerOfMass[k], expected.centerOfMass[k], reduction(5) * scale.position, `${at}: centerOfMass[${k}]`);
  }
  expect(Array.isArray(actual.momentum) && actual.momentum.length === 3, 'momentum is a 3-vector').toBe(true);
}
