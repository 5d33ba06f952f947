import { ParticleState } from '@brokenrecord/core';
import { Random, expectBitwiseEqual, expectColumnsClose } from '@brokenrecord/conformance';
import { describe, expect, it } from 'vitest';
import { avx2Context, describeNative, coupledSystems, perParticleSystems, randomState, referenceRun, usableIsas } from './helpers.js';

// Each instruction set the machine supports (forced, as BROKENRECORD_AVX2_ISA would) against the
// TypeScript reference, on a short horizon: <= 1e-5 relative to each column's magnitude.
const STEPS = 25;

describeNative('every instruction set agrees with the TypeScript reference', () => {
  it('this machine runs at least the scalar path, and reports what it chose', () => {
    expect(usableIsas()[0]).toBe('scalar');
  });
  for (const isa of ['scalar', 'avx2', 'avx512'] as const) {
    describe.skipIf(!usableIsas().includes(isa))(isa, () => {
      for (const { name, system } of [...perParticleSystems(), ...coupledSystems()]) {
        it(name, async () => {
          const initial = randomState(new Random(11), 96, { half: 2, speed: 1, rMin: 0.05, rMax: 0.25 });
          const expected = await referenceRun(system, initial.clone(), 0.005, STEPS);
          const actual: ParticleState = initial.clone();
          const ctx = avx2Context(system, actual, { dt: 0.005, isa, threads: 2 });
          expect(ctx.isa).toBe(isa);
          ctx.step(STEPS);
          ctx.dispose();
          expectColumnsClose(actual, expected, 1e-5, `${isa}, ${name}`);
        });
      }
    });
  }

  it('the vectorised contact test finds the same contacts as the scalar one: same bits on every ISA', () => {
    for (const { name, system } of coupledSystems().filter((c) => c.name.includes('collisions'))) {
      // Dense and polydisperse: many contacts, many near misses.
      const initial = randomState(new Random(21), 400, { half: 2.2, speed: 2, rMin: 0.05, rMax: 0.3 });
      const results = usableIsas().map((isa) => {
        const state = initial.clone();
        const ctx = avx2Context(system, state, { dt: 0.004, isa, threads: 2 });
        ctx.step(30);
        ctx.dispose();
        return { isa, state };
      });
      for (const r of results.slice(1)) expectBitwiseEqual(r.state, results[0].state, `${name}: ${r.isa} vs ${results[0].isa}`);
    }
  });
});
