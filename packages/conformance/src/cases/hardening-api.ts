import {
  AbortError,
  bounds,
  defineSystem,
  ParticleState,
  periodic,
  uniformGravity,
  ValidationError,
  type Simulation,
} from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { columnBits, expectBitwiseEqual } from '../helpers/compare.js';
import { expectTypedError } from '../helpers/errors.js';
import { unhandledRejectionsDuring } from '../helpers/unhandled.js';

/**
 * The API's edges on every backend (issue: hardening, items 11 and 12, cancellation): dispose
 * with calls queued or running, state objects that are not what they seem, inputs float32 would
 * lose, and `step(n, { signal })`.
 */
export function hardeningApiCases(ctx: SuiteContext): void {
  describe.skipIf(!ctx.supports('uniformGravity'))('hardening: dispose, exotic states, float32 inputs, cancellation', () => {
    const gravity = defineSystem({ integrator: 'euler', rules: [uniformGravity({ g: [0, -2, 0] })] });
    const dt = 0.01;
    const two = () =>
      ParticleState.from({
        position: [
          [0, 10, 0],
          [5, 20, 1],
        ],
        velocity: [
          [1, 0, 0],
          [0, 1, 0],
        ],
        mass: [1, 2],
        radius: [0.1, 0.2],
      });

    it('a step queued when dispose() is called rejects with a ValidationError; dispose settles, nothing unhandled', async () => {
      const sim = await ctx.create(gravity, two(), dt);
      await sim.step(1);
      const seen = await unhandledRejectionsDuring(async () => {
        const running = sim.step(3);
        const queued = sim.step(2);
        const disposal = sim.dispose();
        await running.catch(() => undefined);
        const error = await expectTypedError(() => queued, ValidationError, 'VALIDATION', 'step queued before dispose');
        expect(error.field).toBe('simulation');
        await disposal;
        await expectTypedError(() => sim.step(1), ValidationError, 'VALIDATION', 'step after dispose');
        await expectTypedError(() => sim.read(), ValidationError, 'VALIDATION', 'read after dispose');
        expect(sim.dispose(), 'dispose twice: the same promise').toBe(disposal);
      });
      expect(seen).toEqual([]);
    });

    it('dispose() during a long step stops it at a whole step (typed) and frees the backend after it', async () => {
      const sim = await ctx.create(gravity, two(), dt);
      const running = sim.step(2 ** 31 - 1);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const disposal = sim.dispose();
      const error = await expectTypedError(() => running, ValidationError, 'VALIDATION', 'long step at dispose');
      expect(error.message).toMatch(/disposed/);
      await disposal;
      expect(sim.steps).toBeLessThan(2 ** 31 - 1);
    });

    const exotic: [string, (s: ParticleState) => unknown][] = [
      ['a Proxy of the state', (s) => new Proxy(s, {})],
      [
        'an own column() returning a Float64Array',
        (s) => Object.defineProperty(s, 'column', { value: () => new Float64Array(64), configurable: true }),
      ],
      [
        'an own px getter returning a short array',
        (s) => Object.defineProperty(s, 'px', { get: () => new Float32Array(1), configurable: true }),
      ],
      ['an own count getter', (s) => Object.defineProperty(s, 'count', { get: () => 1e9, configurable: true })],
    ];
    for (const [what, make] of exotic) {
      it(`${what} is a ValidationError at createSimulation, never reaching the backend`, async () => {
        await expectTypedError(() => ctx.create(gravity, make(two()) as ParticleState, dt), ValidationError, 'VALIDATION', what);
      });
    }

    it('an override added to the live state between steps is a ValidationError for step, read, diagnostics, snapshot', async () => {
      const sim = await ctx.create(gravity, two(), dt);
      await sim.step(2);
      const live = await sim.read();
      const before = columnBits(live.clone());
      Object.defineProperty(live, 'column', { value: () => new Float64Array(64), configurable: true });
      const calls: [string, (s: Simulation) => Promise<unknown>][] = [
        ['step', (s) => s.step(1)],
        ['read', (s) => s.read()],
        ['diagnostics', (s) => s.diagnostics()],
        ['snapshot', (s) => s.snapshot()],
      ];
      for (const [name, call] of calls) {
        const error = await expectTypedError(() => call(sim), ValidationError, 'VALIDATION', `${name} with an overridden column()`);
        expect(error.field, name).toMatch(/^state/);
      }
      expect(sim.steps).toBe(2);
      delete (live as { column?: unknown }).column;
      expectBitwiseEqual(columnBits(await sim.read()), before, 'state after the rejected calls');
      await sim.step(1);
      expect(sim.steps).toBe(3);
    });

    it('dt lost to float32 (1e-50, 1e-30) and boxes equal in float32 are ValidationErrors', async () => {
      for (const tiny of [1e-50, 1e-30]) {
        const error = await expectTypedError(() => ctx.create(gravity, two(), tiny), ValidationError, 'VALIDATION', `dt ${tiny}`);
        expect(error.field).toBe('dt');
      }
      for (const box of [bounds, periodic] as const) {
        await expectTypedError(() => box({ min: [0, 1, 0], max: [1, 1 + 1e-12, 1] }), ValidationError, 'VALIDATION', 'box 1 .. 1+1e-12');
      }
    });

    it('step(n, { signal }): an abort stops at a whole step, AbortError, steps exact, timers fire meanwhile', async () => {
      const sim = await ctx.create(gravity, two(), dt);
      const controller = new AbortController();
      let ticks = 0;
      const timer = setInterval(() => ticks++, 1);
      setTimeout(() => controller.abort(), 100);
      const started = Date.now();
      let error: AbortError;
      try {
        error = await expectTypedError(() => sim.step(2 ** 31 - 1, { signal: controller.signal }), AbortError, 'ABORTED', 'aborted step');
      } finally {
        clearInterval(timer);
      }
      expect(Date.now() - started, 'the abort was served within a few chunks').toBeLessThan(5_000);
      // A 1 ms interval fires once per event-loop turn: at least once per yield between ~20 ms chunks.
      expect(ticks, 'timers fired while the step ran').toBeGreaterThanOrEqual(2);
      expect(error.stoppedAt).toBe(sim.steps);
      expect(error.completed).toBe(sim.steps);
      expect(sim.steps).toBeGreaterThan(0);
      // The state is exactly the one after `steps` whole steps, as one uninterrupted call gives it.
      const replay = await ctx.create(gravity, two(), dt);
      await replay.step(sim.steps);
      expectBitwiseEqual(columnBits(await sim.read()), columnBits(await replay.read()), `state after the abort at step ${sim.steps}`);
      // The simulation goes on; an already aborted signal takes no step.
      await expectTypedError(() => sim.step(4, { signal: AbortSignal.abort() }), AbortError, 'ABORTED', 'pre-aborted signal');
      const at = sim.steps;
      await sim.step(4, { signal: new AbortController().signal });
      expect(sim.steps).toBe(at + 4);
      await expectTypedError(() => sim.step(1, { signal: 'stop' } as never), ValidationError, 'VALIDATION', 'signal: not an AbortSignal');
    });
  });
}
