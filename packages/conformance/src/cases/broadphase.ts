import { collisions, defineSystem } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { bruteForceContactVelocities } from '../helpers/brute-force-collisions.js';
import { columnRelativeDifference } from '../helpers/compare.js';
import { contactConfigurations } from '../scenes/contact-configurations.js';

/**
 * The grid broadphase must yield exactly the brute-force pair set. One step with only the
 * collisions rule (no forces, so the contact phase sees the initial velocities) is compared with
 * an O(N²) reference of the same sequential sweeps computed here. A missed or invented pair changes the velocities of
 * its two particles by O(1); summation order and float32 arithmetic change them by ~1e-7.
 */
export function broadphaseCases(ctx: SuiteContext): void {
  describe.skipIf(!ctx.supports('collisions'))('collision broadphase equals brute force', () => {
    for (const restitution of [1, 0.6]) {
      for (const { name, state } of contactConfigurations()) {
        it(`${name}, e = ${restitution}`, async () => {
          const expected = bruteForceContactVelocities(state, restitution);
          expect(expected.pairs, 'test setup: the configuration has contacts').toBeGreaterThan(20);
          const sim = await ctx.create(defineSystem({ rules: [collisions({ restitution })] }), state.clone(), 0.01);
          await sim.step(1);
          const actual = await sim.read();
          for (const c of ['vx', 'vy', 'vz'] as const) {
            const { relative, index } = columnRelativeDifference(actual.column(c), expected[c]);
            expect(
              relative,
              `${c}[${index}] = ${actual.column(c)[index]}, brute force gives ${expected[c][index]} (was ${state.column(c)[index]})`,
            ).toBeLessThanOrEqual(1e-5);
          }
          // Sharper than any tolerance: a particle the brute force leaves alone must keep its
          // velocity bit for bit, and one it changes must change (a grazing pair the grid missed
          // would otherwise hide below 1e-5).
          for (let i = 0; i < state.count; i++) {
            const touched = expected.vx[i] !== state.vx[i] || expected.vy[i] !== state.vy[i] || expected.vz[i] !== state.vz[i];
            const changed = actual.vx[i] !== state.vx[i] || actual.vy[i] !== state.vy[i] || actual.vz[i] !== state.vz[i];
            expect(changed, `particle ${i}: ${touched ? 'has a contact the backend did not resolve' : 'has no contact but changed'}`).toBe(
              touched,
            );
          }
        });
      }
    }
  });
}
