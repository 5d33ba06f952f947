import {
  defineSystem,
  MAX_STEPS_PER_CALL,
  pairwiseGravity,
  ParticleState,
  resumeSimulation,
  SimulationDivergedError,
  uniformGravity,
  ValidationError,
  type Simulation,
} from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { columnBits, expectBitwiseEqual, expectColumnsClose } from '../helpers/compare.js';
import { expectTypedError } from '../helpers/errors.js';
import { fuzzCases } from './fuzz.js';
import { hardeningApiCases } from './hardening-api.js';

/**
 * One behaviour on every backend where a hostile or careless caller pushes: huge step counts,
 * particles added or removed between steps, columns edited into invalid values or detached,
 * coincident unsoftened particles. Each outcome is the reference's (or the same typed error).
 */
export function hardeningCases(ctx: SuiteContext): void {
  // The API's edges (dispose, exotic states, float32 inputs, cancellation) and the differential fuzz.
  hardeningApiCases(ctx);
  fuzzCases(ctx);
  describe.skipIf(!ctx.supports('uniformGravity'))('hardening', () => {
    const gravity = defineSystem({ integrator: 'euler', rules: [uniformGravity({ g: [0, -2, 0] })] });
    const dt = 0.05;
    const three = () =>
      ParticleState.from({
        position: [
          [0, 10, 0],
          [5, 20, 1],
          [-3, 30, 2],
        ],
        velocity: [
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
        ],
        mass: [1, 2, 3],
        radius: [0.1, 0.2, 0.3],
      });
    const bits = (s: ParticleState) => columnBits(s);
    /** The same edits on the reference backend, for the expected result. */
    async function reference(edit: (s: ParticleState) => void, before: number, after: number): Promise<ParticleState> {
      const sim = await ctx.createReference(gravity, three(), dt);
      await sim.step(before);
      edit(await sim.read());
      await sim.step(after);
      return (await sim.read()).clone();
    }

    it('step counts above MAX_STEPS_PER_CALL (1e12, 1e300) are a ValidationError before any step runs', async () => {
      const sim = await ctx.create(gravity, three(), dt);
      await sim.step(1);
      const before = bits((await sim.read()).clone());
      for (const n of [1e12, 1e300, MAX_STEPS_PER_CALL + 1]) {
        const error = await expectTypedError(() => sim.step(n), ValidationError, 'VALIDATION', `step(${n})`);
        expect(error.field).toBe('steps');
      }
      expect(sim.steps).toBe(1);
      expectBitwiseEqual(bits(await sim.read()), before, 'state after rejected step counts');
    });

    it('threads above the documented bound and a negative startStep are ValidationErrors', async () => {
      await expectTypedError(() => ctx.create(gravity, three(), dt, { threads: 1024 }), ValidationError, 'VALIDATION', 'threads: 1024');
      await expectTypedError(() => ctx.create(gravity, three(), dt, { startStep: -1 }), ValidationError, 'VALIDATION', 'startStep: -1');
    });

    it('remove() on the live state between steps: the particle stays gone, diagnostics count only the rest', async () => {
      const sim = await ctx.create(gravity, three(), dt);
      await sim.step(3);
      (await sim.read()).remove([0]);
      expect((await sim.diagnostics()).mass, 'mass right after the removal').toBeCloseTo(5, 5);
      await sim.step(5);
      const after = await sim.read();
      const expected = await reference((s) => s.remove([0]), 3, 5);
      expect(after.count).toBe(2);
      expectColumnsClose(after, expected, 1e-5, 'after remove([0]) and 5 steps');
      expect(Array.from(after.mass)).toEqual([2, 3]);
      expect((await sim.diagnostics()).mass, 'diagnostics mass').toBeCloseTo(5, 5);
    });

    it('add() on the live state between steps: the new particle moves like the others', async () => {
      const sim = await ctx.create(gravity, three(), dt);
      await sim.step(2);
      const added = { position: [[7, 40, -1]], velocity: [[0, 3, 0]], mass: [4], radius: [0.4] };
      expect((await sim.read()).add(added)).toBe(3);
      await sim.step(6);
      const after = await sim.read();
      const expected = await reference((s) => void s.add(added), 2, 6);
      expect(after.count).toBe(4);
      expectColumnsClose(after, expected, 1e-5, 'after add() and 6 steps');
      expect(after.py[3], 'the added particle moved').not.toBe(40);
      expect((await sim.diagnostics()).mass).toBeCloseTo(10, 5);
      // And the snapshot holds what was simulated.
      const resumed = ctx.track(await resumeSimulation(await sim.snapshot(), { backend: ctx.backend.name }));
      expectBitwiseEqual(bits(await resumed.read()), bits(after), 'snapshot of the state with the added particle');
    });

    it('a valid value written into the live state between steps is honoured', async () => {
      const sim = await ctx.create(gravity, three(), dt);
      await sim.step(2);
      const live = await sim.read();
      live.vx[1] = 3;
      live.mass[2] = 0.5;
      await sim.step(4);
      const expected = await reference(
        (s) => {
          s.vx[1] = 3;
          s.mass[2] = 0.5;
        },
        2,
        4,
      );
      expectColumnsClose(await sim.read(), expected, 1e-5, 'after editing vx[1] and mass[2]');
      expect((await sim.diagnostics()).mass).toBeCloseTo(3.5, 5);
    });

    const invalid: [string, string, (s: ParticleState) => void][] = [
      ['mass NaN', 'state.mass[0]', (s) => (s.mass[0] = NaN)],
      ['mass 0', 'state.mass[1]', (s) => (s.mass[1] = 0)],
      ['mass −1', 'state.mass[2]', (s) => (s.mass[2] = -1)],
      ['radius −5', 'state.radius[1]', (s) => (s.radius[1] = -5)],
      ['position NaN', 'state.px[2]', (s) => (s.px[2] = NaN)],
    ];
    for (const [what, field, edit] of invalid) {
      it(`an edit to ${what} between steps is a ValidationError on the next step, nothing stepped`, async () => {
        const sim = await ctx.create(gravity, three(), dt);
        await sim.step(2);
        const live = await sim.read();
        edit(live);
        const edited = bits(live.clone());
        const error = await expectTypedError(() => sim.step(3), ValidationError, 'VALIDATION', `step after ${what}`);
        expect(error.field).toBe(field);
        expect(sim.steps).toBe(2);
        expectBitwiseEqual(bits(await sim.read()), edited, `state after the rejected step (${what})`);
        await expectTypedError(() => sim.snapshot(), ValidationError, 'VALIDATION', `snapshot after ${what}`);
      });
    }

    it('a detached column is a ValidationError naming it, for step, read, diagnostics and snapshot', async () => {
      const sim = await ctx.create(gravity, three(), dt);
      await sim.step(2);
      const live = await sim.read();
      const buffer = live.px.buffer;
      // Pages that are not cross-origin isolated have no SharedArrayBuffer at all.
      if (typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer) {
        // Worker-thread runs keep the state in shared memory, which cannot be transferred (detached).
        expect(() => structuredClone(buffer, { transfer: [buffer as unknown as ArrayBuffer] })).toThrow();
        return;
      }
      structuredClone(buffer, { transfer: [buffer as ArrayBuffer] });
      const calls: [string, (s: Simulation) => Promise<unknown>][] = [
        ['step', (s) => s.step(1)],
        ['read', (s) => s.read()],
        ['diagnostics', (s) => s.diagnostics()],
        ['snapshot', (s) => s.snapshot()],
      ];
      for (const [name, call] of calls) {
        const error = await expectTypedError(() => call(sim), ValidationError, 'VALIDATION', `${name} after detaching px`);
        expect(error.field, name).toBe('state.px');
      }
      expect(sim.steps).toBe(2);
    });

    it.skipIf(!ctx.supports('pairwiseGravity'))(
      'unsoftened particles that meet mid-run diverge at the step after they coincide, as on the reference',
      async () => {
        // x = ∓1 moving at ±0.5 with dt = 1 meet exactly at the origin after step 2 (G so small that
        // their pull does not change a float32 velocity); step 3 then evaluates a 0/0 pull.
        const system = defineSystem({ integrator: 'euler', rules: [pairwiseGravity({ G: 1e-30, softening: 0 })] });
        const meeting = () =>
          ParticleState.from({
            // All on the x axis, so no pull ever moves them off it (y and z stay exactly 0).
            position: [
              [30, 0, 0],
              [-1, 0, 0],
              [1, 0, 0],
              [-40, 0, 0],
            ],
            velocity: [
              [0, 0, 0],
              [0.5, 0, 0],
              [-0.5, 0, 0],
              [0, 0, 0],
            ],
            mass: 1,
          });
        const sim = await ctx.create(system, meeting(), 1);
        await sim.step(2);
        const met = await sim.read();
        expect([met.px[1], met.py[1], met.pz[1], met.px[2], met.py[2], met.pz[2]], 'test setup: the two particles coincide').toEqual([
          0, 0, 0, 0, 0, 0,
        ]);
        const error = await expectTypedError(() => sim.step(5), SimulationDivergedError, 'SIMULATION_DIVERGED', 'coincident step');
        expect({ step: error.step, particle: error.particle }).toEqual({ step: 3, particle: 1 });
        expect(sim.steps).toBe(2);

        const ref = await ctx.createReference(system, meeting(), 1);
        const refError = await expectTypedError(() => ref.step(7), SimulationDivergedError, 'SIMULATION_DIVERGED', 'reference');
        expect({ step: refError.step, particle: refError.particle }).toEqual({ step: 3, particle: 1 });
        expectColumnsClose(await sim.read(), await ref.read(), 1e-5, 'state left at step 2');
      },
    );
  });
}
