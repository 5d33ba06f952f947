import { ParticleState, simulate, uniformGravity, type SimulateOptions } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { expectConstantAccelerationPath } from '../helpers/constant-acceleration-check.js';

interface SeedParticle {
  position: number[];
  velocity: number[];
  mass: number;
  radius?: number;
  id: string;
  color: number[];
}

/**
 * The seed's one-call runtime API: a world object in, the same shape out, positions advanced by
 * semi-implicit Euler under gravity, every other key (of the world and of each particle) kept.
 */
export function seedSimulateCases(ctx: SuiteContext): void {
  describe.skipIf(!ctx.supports('uniformGravity'))('simulate() (the seed call)', () => {
    const particles = (): SeedParticle[] => [
      { position: [0, 0, 0], velocity: [1, 0, 0], mass: 1, id: 'a', color: [255, 0, 0] },
      { position: [0, 10, 5], velocity: [0, 3, -2], mass: 2, radius: 0.5, id: 'b', color: [0, 255, 0] },
      { position: [-4, 1, 2], velocity: [0.5, 0.5, 0.5], mass: 0.25, id: 'c', color: [0, 0, 255] },
    ];
    const options = (more: SimulateOptions): SimulateOptions => ({
      ...more,
      backend: ctx.backend.name,
      ...(ctx.options.threads !== undefined ? { threads: ctx.options.threads } : {}),
    });

    /** The same particles as a state, to compare with the formula. */
    const asState = (list: SeedParticle[]) =>
      ParticleState.from({ position: list.map((p) => p.position), velocity: list.map((p) => p.velocity), mass: list.map((p) => p.mass) });

    for (const key of ['particles', 'bodies', 'molecules'] as const) {
      it(`{ ${key}: [...], extra } comes back in the same shape with the other keys kept`, async () => {
        const input = { [key]: particles(), extra: 'kept', nested: { answer: 42 } } as Record<string, unknown>;
        const frozenInput = JSON.stringify(input);
        const g = [0, -9.81, 0] as const;
        const out = (await simulate(input, options({ steps: 250, dt: 0.004, rules: [uniformGravity({ g })] }))) as Record<string, unknown>;
        expect(JSON.stringify(input), 'the input object is not modified').toBe(frozenInput);
        expect(out.extra).toBe('kept');
        expect(out.nested).toEqual({ answer: 42 });
        expect(Object.keys(out).sort()).toEqual(Object.keys(input).sort());
        const list = out[key] as SeedParticle[];
        const before = particles();
        expect(list).toHaveLength(before.length);
        list.forEach((p, i) => {
          expect(p.id).toBe(before[i].id);
          expect(p.color).toEqual(before[i].color);
          expect(p.mass).toBe(before[i].mass);
          expect(p.radius).toBe(before[i].radius);
          expect(p.position).toHaveLength(3);
          expect(p.velocity).toHaveLength(3);
        });
        expectConstantAccelerationPath(asState(list), asState(before), g, 0.004, 250, 'euler', `simulate(${key})`);
      });
    }

    it('with no options but the backend, runs the seed defaults: 1000 steps of dt 0.01 under g = (0, −9.81, 0)', async () => {
      const input = { particles: particles() };
      const out = await simulate(input, options({}));
      expectConstantAccelerationPath(asState(out.particles), asState(particles()), [0, -9.81, 0], 0.01, 1000, 'euler', 'seed defaults');
    });
  });
}
