import { defineSystem, type Diagnostics, type Integrator } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { expectColumnsClose, expectNear } from '../helpers/compare.js';
import { referenceDiagnostics } from '../helpers/reference-diagnostics.js';
import { expressionRuleScenes, ruleScenes } from '../scenes/rule-scenes.js';

/**
 * Every backend matches the reference to ≤ 1e-5 relative over a short horizon (design document,
 * "Agreement"): long enough for every rule to act many times, short enough that rounding
 * differences have not been amplified by chaos.
 */
const AGREEMENT = 1e-5;
const CHECKPOINTS = [1, 10, 40];

export function referenceAgreementCases(ctx: SuiteContext, referenceAvailable: boolean): void {
  describe.skipIf(!referenceAvailable)(`agreement with the reference backend '${ctx.reference.name}'`, () => {
    for (const scene of [...ruleScenes(), ...expressionRuleScenes()]) {
      for (const integrator of ['euler', 'verlet'] as Integrator[]) {
        const runnable = ctx.supports(...scene.kinds) && scene.kinds.every((k) => ctx.reference.rules.includes(k));
        it.skipIf(!runnable)(`${scene.name}, ${integrator}: columns and diagnostics within ${AGREEMENT} relative`, async () => {
          const system = defineSystem({ integrator, rules: scene.rules });
          const sim = await ctx.create(system, scene.state.clone(), scene.dt);
          const ref = await ctx.createReference(system, scene.state.clone(), scene.dt);
          let done = 0;
          for (const n of CHECKPOINTS) {
            await sim.step(n - done);
            await ref.step(n - done);
            done = n;
            const expected = await ref.read();
            expectColumnsClose(await sim.read(), expected, AGREEMENT, `${scene.name}/${integrator} after ${n} steps`);
            expectDiagnosticsAgree(
              await sim.diagnostics(),
              await ref.diagnostics(),
              referenceDiagnostics(expected, system.rules, ref.time).scale,
              n,
            );
          }
          // The scene did something: the state moved away from the start.
          const end = await ref.read();
          let moved = 0;
          for (let i = 0; i < end.count; i++) moved = Math.max(moved, Math.abs(end.vx[i] - scene.state.vx[i]));
          expect(moved, 'velocities changed during the run').toBeGreaterThan(1e-3);
        });
      }
    }
  });
}

/** Each diagnostic within AGREEMENT of the reference's, relative to the magnitude of its terms. */
function expectDiagnosticsAgree(
  actual: Diagnostics,
  expected: Diagnostics,
  scale: ReturnType<typeof referenceDiagnostics>['scale'],
  step: number,
): void {
  const at = `diagnostics after ${step} steps`;
  expectNear(actual.kinetic, expected.kinetic, AGREEMENT * scale.energy, `${at}: kinetic`);
  expectNear(actual.potential, expected.potential, AGREEMENT * scale.energy, `${at}: potential`);
  expectNear(actual.total, expected.total, AGREEMENT * scale.energy, `${at}: total`);
  for (let k = 0; k < 3; k++) {
    expectNear(actual.momentum[k], expected.momentum[k], AGREEMENT * scale.momentum, `${at}: momentum[${k}]`);
    expectNear(actual.angularMomentum[k], expected.angularMomentum[k], AGREEMENT * scale.angularMomentum, `${at}: angularMomentum[${k}]`);
    expectNear(actual.centerOfMass[k], expected.centerOfMass[k], AGREEMENT * scale.position, `${at}: centerOfMass[${k}]`);
  }
}
