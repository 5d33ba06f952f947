import {
  BackendUnavailableError,
  bounds,
  collisions,
  COLUMNS,
  ConservationContractError,
  createSimulation,
  defineSystem,
  drag,
  MAX_PARTICLES,
  pairwiseGravity,
  ParticleState,
  uniformGravity,
  ValidationError,
  type Rule,
} from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { columnBits, expectBitwiseEqual } from '../helpers/compare.js';
import { expectTypedError } from '../helpers/errors.js';

/**
 * Every bad input of the design's ValidationError list gets its typed error, before any backend
 * computes anything, and leaves the state exactly as it was (compared bit for bit).
 */
export function badInputCases(ctx: SuiteContext): void {
  describe('bad inputs', () => {
    const gravity = () => defineSystem({ rules: [uniformGravity({ g: [0, -9.81, 0] })] });
    const validState = () =>
      ParticleState.from({
        position: [
          [0, 1, 2],
          [3, 4, 5],
          [-1, -2, -3],
        ],
        velocity: [
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
        ],
        mass: [1, 2, 3],
        radius: [0.1, 0.2, 0.3],
      });

    it('NaN and ±Infinity in any column are rejected by ParticleState.from', async () => {
      for (const bad of [NaN, Infinity, -Infinity]) {
        const inputs = {
          position: () => ({
            position: [
              [0, 0, 0],
              [1, bad, 1],
            ],
            mass: 1,
          }),
          velocity: () => ({
            position: [
              [0, 0, 0],
              [1, 1, 1],
            ],
            velocity: [
              [0, 0, bad],
              [0, 0, 0],
            ],
            mass: 1,
          }),
          mass: () => ({
            position: [
              [0, 0, 0],
              [1, 1, 1],
            ],
            mass: [1, bad],
          }),
          radius: () => ({
            position: [
              [0, 0, 0],
              [1, 1, 1],
            ],
            mass: 1,
            radius: [bad, 0],
          }),
        };
        for (const [field, input] of Object.entries(inputs)) {
          await expectTypedError(() => ParticleState.from(input()), ValidationError, 'VALIDATION', `${bad} in ${field}`);
        }
      }
    });

    it('NaN and ±Infinity written into any column of a state are rejected by createSimulation, state untouched', async () => {
      for (const bad of [NaN, Infinity, -Infinity]) {
        for (const column of COLUMNS) {
          const state = validState();
          state.column(column)[1] = bad;
          const before = columnBits(state);
          await expectTypedError(() => ctx.create(gravity(), state, 0.01), ValidationError, 'VALIDATION', `${bad} in ${column}`);
          expectBitwiseEqual(state, before, `state after rejecting ${bad} in ${column}`);
        }
      }
    });

    it('mass ≤ 0 and radius < 0 are rejected', async () => {
      for (const mass of [0, -1, -0]) {
        await expectTypedError(() => ParticleState.from({ position: [[0, 0, 0]], mass }), ValidationError, 'VALIDATION', `mass ${mass}`);
        const state = validState();
        state.mass[2] = mass;
        const before = columnBits(state);
        await expectTypedError(() => ctx.create(gravity(), state, 0.01), ValidationError, 'VALIDATION', `mass ${mass} in a state`);
        expectBitwiseEqual(state, before, `state after rejecting mass ${mass}`);
      }
      await expectTypedError(
        () => ParticleState.from({ position: [[0, 0, 0]], mass: 1, radius: -0.5 }),
        ValidationError,
        'VALIDATION',
        'radius −0.5',
      );
      const state = validState();
      state.radius[0] = -1e-30;
      const before = columnBits(state);
      await expectTypedError(() => ctx.create(gravity(), state, 0.01), ValidationError, 'VALIDATION', 'tiny negative radius in a state');
      expectBitwiseEqual(state, before, 'state after rejecting a negative radius');
    });

    it('mismatched column lengths in ParticleState.from are rejected', async () => {
      const position = [
        [0, 0, 0],
        [1, 1, 1],
        [2, 2, 2],
      ];
      const cases = {
        'velocity shorter': { position, velocity: [[0, 0, 0]], mass: 1 },
        'mass longer': { position, mass: [1, 2, 3, 4] },
        'radius shorter': { position, mass: 1, radius: [0.5, 0.5] },
        'flat position not a multiple of 3': { position: [0, 0, 0, 1], mass: 1 },
        'a position with two components': {
          position: [
            [0, 0, 0],
            [1, 1],
          ],
          mass: 1,
        },
      };
      for (const [what, input] of Object.entries(cases)) {
        await expectTypedError(() => ParticleState.from(input as never), ValidationError, 'VALIDATION', what);
      }
    });

    it('dt ≤ 0, NaN or infinite is rejected, state untouched', async () => {
      for (const dt of [0, -0.01, NaN, Infinity, -Infinity]) {
        const state = validState();
        const before = columnBits(state);
        const error = await expectTypedError(() => ctx.create(gravity(), state, dt), ValidationError, 'VALIDATION', `dt ${dt}`);
        expect(error.field).toBe('dt');
        expectBitwiseEqual(state, before, `state after rejecting dt ${dt}`);
      }
    });

    it('step counts that are not non-negative integers are rejected, state untouched', async () => {
      const sim = await ctx.create(gravity(), validState(), 0.01);
      await sim.step(3);
      const before = columnBits(await sim.read());
      for (const n of [-1, 1.5, NaN, Infinity, '2' as unknown as number]) {
        await expectTypedError(() => sim.step(n), ValidationError, 'VALIDATION', `step(${String(n)})`);
        expectBitwiseEqual(await sim.read(), before, `state after step(${String(n)})`);
        expect(sim.steps, `step count after step(${String(n)})`).toBe(3);
      }
      // step(0) is a valid no-op.
      await sim.step(0);
      expectBitwiseEqual(await sim.read(), before, 'state after step(0)');
    });

    it('unknown rule options and invalid option values are rejected', async () => {
      const bad: Record<string, () => Rule> = {
        'uniformGravity.gravity': () => uniformGravity({ gravity: [0, -1, 0] } as never),
        'pairwiseGravity.epsilon': () => pairwiseGravity({ epsilon: 0.1 } as never),
        'collisions.restitutoin': () => collisions({ restitutoin: 1 } as never),
        'bounds.restitution 1.5': () => bounds({ min: [0, 0, 0], max: [1, 1, 1], restitution: 1.5 }),
        'bounds.min ≥ max': () => bounds({ min: [0, 2, 0], max: [1, 1, 1] }),
        'drag.k negative': () => drag({ k: -1 }),
        'drag.c': () => drag({ k: 1, c: 2 } as never),
        'uniformGravity.g with NaN': () => uniformGravity({ g: [0, NaN, 0] }),
      };
      for (const [what, make] of Object.entries(bad)) {
        await expectTypedError(make, ValidationError, 'VALIDATION', what);
      }
      // A hand-built rule object is re-validated by defineSystem too.
      await expectTypedError(
        () => defineSystem({ rules: [{ kind: 'drag', options: { k: 1, typo: 2 }, conserves: [], phase: 'force' } as never] }),
        ValidationError,
        'VALIDATION',
        'hand-built rule with an unknown option',
      );
    });

    it('unknown system keys and unknown createSimulation options are rejected', async () => {
      await expectTypedError(
        () => defineSystem({ rules: [], integrater: 'verlet' } as never),
        ValidationError,
        'VALIDATION',
        'system key "integrater"',
      );
      await expectTypedError(
        () => defineSystem({ rules: [], integrator: 'rk4' as never }),
        ValidationError,
        'VALIDATION',
        'integrator rk4',
      );
      const state = validState();
      const before = columnBits(state);
      await expectTypedError(
        () => ctx.create(gravity(), state, 0.01, { steps: 10 } as never),
        ValidationError,
        'VALIDATION',
        'createSimulation option "steps"',
      );
      expectBitwiseEqual(state, before, 'state after an unknown option');
    });

    it('too many particles for memory are rejected before allocating', async () => {
      await expectTypedError(() => ParticleState.create(MAX_PARTICLES + 1), ValidationError, 'VALIDATION', 'create(MAX_PARTICLES + 1)');
      await expectTypedError(() => ParticleState.create(-1), ValidationError, 'VALIDATION', 'create(-1)');
    });

    it.skipIf(!ctx.supports('pairwiseGravity'))(
      'coincident particles with unsoftened pairwise gravity are rejected, state untouched',
      async () => {
        const state = ParticleState.from({
          position: [
            [0, 0, 0],
            [1, 2, 3],
            [1, 2, 3],
          ],
          mass: 1,
        });
        const before = columnBits(state);
        const system = defineSystem({ integrator: 'verlet', rules: [pairwiseGravity({ softening: 0 })] });
        await expectTypedError(() => ctx.create(system, state, 0.01), ValidationError, 'VALIDATION', 'coincident, ε = 0');
        expectBitwiseEqual(state, before, 'state after rejecting coincident particles');
        // With softening the same state is fine.
        const softened = defineSystem({ integrator: 'verlet', rules: [pairwiseGravity({ softening: 0.1 })] });
        const sim = await ctx.create(softened, state.clone(), 0.01);
        await sim.step(2);
        const after = await sim.read();
        for (const c of COLUMNS) for (const v of after.column(c)) expect(Number.isFinite(v), `${c} finite with softening`).toBe(true);
      },
    );

    it('declaring a quantity a rule breaks throws ConservationContractError naming the rule', async () => {
      const cases = [
        { rules: [uniformGravity()], quantity: 'momentum', rule: 'uniformGravity' },
        { rules: [pairwiseGravity({ softening: 0.1 }), drag({ k: 0.5 })], quantity: 'energy', rule: 'drag' },
        { rules: [bounds({ min: [0, 0, 0], max: [1, 1, 1] })], quantity: 'momentum', rule: 'bounds' },
        { rules: [collisions({ restitution: 0.5 })], quantity: 'energy', rule: 'collisions' },
      ] as const;
      for (const { rules, quantity, rule } of cases) {
        const error = await expectTypedError(
          () => defineSystem({ rules, conserves: [quantity] }),
          ConservationContractError,
          'CONSERVATION_CONTRACT',
          `${quantity} with ${rule}`,
        );
        expect(error.rule).toBe(rule);
        expect(error.quantity).toBe(quantity);
        expect(error.message).toContain(rule);
      }
      // And the contracts that hold are accepted.
      expect(() =>
        defineSystem({ rules: [pairwiseGravity({ softening: 0.1 }), collisions()], conserves: ['energy', 'momentum', 'angularMomentum'] }),
      ).not.toThrow();
    });

    it('forcing an unknown backend throws BackendUnavailableError with its reason', async () => {
      const state = validState();
      const before = columnBits(state);
      const error = await expectTypedError(
        () => createSimulation({ ...ctx.options, system: gravity(), state, dt: 0.01, backend: 'no-such-backend' }),
        BackendUnavailableError,
        'BACKEND_UNAVAILABLE',
        'backend "no-such-backend"',
      );
      expect(error.reasons.map((r) => r.name)).toContain('no-such-backend');
      expect(error.message).toContain('no-such-backend');
      expectBitwiseEqual(state, before, 'state after an unavailable backend');
    });
  });
}
