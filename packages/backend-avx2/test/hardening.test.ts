import { bounds, defineSystem, pairwiseGravity, ParticleState, uniformGravity, ValidationError } from '@brokenrecord/core';
import { avx2Backend, type Avx2BackendOptions, type Avx2Context } from '@brokenrecord/backend-avx2';
import { expect, it } from 'vitest';
import { describeNative, usableIsas } from './helpers.js';

describeNative('avx2 hardening', () => {
  const boxed = defineSystem({ rules: [uniformGravity({ g: [0, -1, 0] }), bounds({ min: [0, 0, 0], max: [10, 10, 10] })] });

  for (const isa of usableIsas()) {
    for (const fuse of [true, false]) {
      it(`${isa}${fuse ? ', fused' : ''}: the bounds clamp keeps NaN positions NaN instead of clamping them into the box`, () => {
        // 20 particles so every SIMD width has full vectors and a remainder.
        const state = ParticleState.create(20);
        for (let i = 0; i < 20; i++) state.px[i] = state.py[i] = state.pz[i] = 1 + 0.4 * i;
        state.px[3] = NaN; // straight into the context: core would have rejected it
        state.py[17] = NaN;
        const ctx = avx2Backend.create(boxed, state, { dt: 0.1, isa, fuse, threads: 1 } as Avx2BackendOptions) as Avx2Context;
        try {
          ctx.step(2);
          expect(state.px[3]).toBeNaN();
          expect(state.py[17]).toBeNaN();
          expect(Number.isFinite(state.px[4])).toBe(true);
          expect(ctx.firstNonFinite()).toBe(3);
        } finally {
          ctx.dispose();
        }
      });
    }

    it(`${isa}: unsoftened gravity between coincident particles is NaN (as the reference), never a zero pull`, () => {
      const system = defineSystem({ rules: [pairwiseGravity({ G: 1, softening: 0 })] });
      const state = ParticleState.create(40);
      for (let i = 0; i < 40; i++) state.px[i] = i; // distinct, except:
      state.px[25] = 7;
      const ctx = avx2Backend.create(system, state, { dt: 0.01, isa, threads: 1 } as Avx2BackendOptions) as Avx2Context;
      try {
        ctx.step(1);
        expect(state.vx[7]).toBeNaN();
        expect(state.vx[25]).toBeNaN();
        expect(Number.isFinite(state.vx[6])).toBe(true);
        expect(ctx.firstNonFinite()).toBe(7);
      } finally {
        ctx.dispose();
      }
    });
  }

  it("a step count beyond the documented limit is a ValidationError, never the addon's RangeError", () => {
    const ctx = avx2Backend.create(boxed, ParticleState.create(2), { dt: 0.1, threads: 1 }) as Avx2Context;
    try {
      for (const n of [1e300, 2 ** 31]) expect(() => ctx.step(n)).toThrow(ValidationError);
    } finally {
      ctx.dispose();
    }
  });
});
