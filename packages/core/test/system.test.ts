import { describe, expect, it } from 'vitest';
import {
  bounds,
  collisions,
  ConservationContractError,
  defineSystem,
  drag,
  pairwiseGravity,
  systemFromJSON,
  systemToJSON,
  uniformGravity,
  ValidationError,
} from '../src/index.js';

describe('rules', () => {
  it('apply defaults', () => {
    expect(uniformGravity().options.g).toEqual([0, -9.81, 0]);
    expect(pairwiseGravity().options).toEqual({ G: 1, softening: 0, method: 'auto', theta: 0.5 });
    expect(collisions().options.restitution).toBe(1);
  });
  it('reject unknown and bad options', () => {
    expect(() => uniformGravity({ gravity: 1 } as never)).toThrow(ValidationError);
    expect(() => collisions({ restitution: 1.5 })).toThrow(ValidationError);
    expect(() => bounds({ min: [0, 0, 0], max: [1, 0, 1] })).toThrow(/bounds.max\[1\]/);
    expect(() => drag({ k: -1 })).toThrow(ValidationError);
    expect(() => pairwiseGravity({ softening: NaN })).toThrow(ValidationError);
  });
  it('declare what they conserve', () => {
    expect(collisions({ restitution: 0.5 }).conserves).not.toContain('energy');
    expect(bounds({ min: [0, 0, 0], max: [1, 1, 1] }).conserves).toEqual(['energy']);
    expect(drag({ k: 1 }).conserves).toEqual([]);
  });
});

describe('defineSystem', () => {
  it('names the rule that breaks a declared quantity', () => {
    try {
      defineSystem({ rules: [pairwiseGravity(), uniformGravity()], conserves: ['momentum'] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConservationContractError);
      expect((e as ConservationContractError).rule).toBe('uniformGravity');
      expect((e as ConservationContractError).code).toBe('CONSERVATION_CONTRACT');
    }
    expect(() => defineSystem({ rules: [drag({ k: 1 })], conserves: ['energy'] })).toThrow(/drag/);
    expect(() => defineSystem({ rules: [collisions({ restitution: 0.9 })], conserves: ['energy'] })).toThrow(/collisions/);
  });
  it('accepts contracts its rules keep', () => {
    const s = defineSystem({
      integrator: 'verlet',
      rules: [pairwiseGravity({ softening: 0.1 }), collisions()],
      conserves: ['energy', 'momentum', 'angularMomentum'],
    });
    expect(s.kinds.has('collisions')).toBe(true);
  });
  it('rejects malformed systems', () => {
    expect(() => defineSystem({ integrator: 'rk4' as never, rules: [] })).toThrow(ValidationError);
    expect(() => defineSystem({ rules: [], extra: 1 } as never)).toThrow(ValidationError);
    expect(() => defineSystem({ rules: [{ kind: 'magic', options: {} } as never] })).toThrow(ValidationError);
    expect(() => defineSystem({ rules: [collisions(), collisions()] })).toThrow(ValidationError);
    expect(() => defineSystem({ rules: [], conserves: ['charge' as never] })).toThrow(ValidationError);
    expect(() => defineSystem({ rules: [], monitor: { every: 0, tolerance: 1 } })).toThrow(ValidationError);
  });
  it('round-trips through JSON', () => {
    const s = defineSystem({
      integrator: 'verlet',
      rules: [uniformGravity({ g: [0, 0, -1] }), bounds({ min: [0, 0, 0], max: [1, 2, 3], restitution: 0.5 })],
      conserves: [],
    });
    expect(systemToJSON(systemFromJSON(JSON.parse(JSON.stringify(systemToJSON(s)))))).toEqual(systemToJSON(s));
  });
});
