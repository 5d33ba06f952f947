import { Random, expectBitwiseEqual } from '@brokenrecord/conformance';
import { expect, it } from 'vitest';
import { avx2Context, describeNative, perParticleSystems, randomState, usableIsas } from './helpers.js';

// Step fusion advances blocks of particles through every step in registers; the phase-by-phase
// path streams the state once per step. Same expressions, same roundings: the bits must agree,
// on every instruction set, and the instruction sets must agree with each other.
describeNative('step fusion', () => {
  for (const { name, system } of perParticleSystems()) {
    it(`fused == phase by phase, bitwise, on every ISA: ${name}`, () => {
      const rng = new Random(7);
      // 203 particles: whole SIMD blocks plus a ragged tail; radii so the walls matter.
      const initial = randomState(rng, 203, { half: 1.8, speed: 3, rMin: 0, rMax: 0.3 });
      let scalarResult = null;
      for (const isa of usableIsas()) {
        const fused = initial.clone();
        const phased = initial.clone();
        const a = avx2Context(system, fused, { dt: 0.01, isa, fuse: true, threads: 1 });
        const b = avx2Context(system, phased, { dt: 0.01, isa, fuse: false, threads: 1 });
        expect([a.fused, b.fused]).toEqual([true, false]);
        for (const n of [1, 37, 200]) {
          a.step(n);
          b.step(n);
        }
        a.dispose();
        b.dispose();
        expectBitwiseEqual(fused, phased, `${isa}: fused vs phase by phase`);
        if (scalarResult) expectBitwiseEqual(fused, scalarResult, `${isa} vs scalar`);
        else scalarResult = fused;
        expect(fused.px.some((x, i) => x !== initial.px[i])).toBe(true);
      }
    });
  }
});
