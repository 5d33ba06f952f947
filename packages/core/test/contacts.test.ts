import { describe, expect, it } from 'vitest';
import {
  collisions,
  compileKernelPlan,
  computeDiagnostics,
  contacts,
  dampingRatioForRestitution,
  defineSystem,
  ParticleState,
  periodic,
  ruleFromJSON,
  ruleToJSON,
  ValidationError,
} from '../src/index.js';

describe('contacts (soft-sphere DEM rule)', () => {
  it('validates its options with typed errors', () => {
    const bad: [unknown, string][] = [
      [{ model: 'linear', stiffness: 1 }, 'contacts.model'],
      [{ model: 'hooke' }, 'contacts.stiffness'],
      [{ model: 'hooke', stiffness: 0 }, 'contacts.stiffness'],
      [{ model: 'hooke', stiffness: NaN }, 'contacts.stiffness'],
      [{ model: 'hooke', stiffness: 1, damping: -1 }, 'contacts.damping'],
      [{ model: 'hooke', stiffness: 1, restitution: 0 }, 'contacts.restitution'],
      [{ model: 'hooke', stiffness: 1, restitution: 1.5 }, 'contacts.restitution'],
      [{ model: 'hooke', stiffness: 1, damping: 1, restitution: 0.5 }, 'contacts'],
      [{ model: 'hertz', stiffness: 1, restitution: 0.5 }, 'contacts.restitution'],
      [{ model: 'hooke', stiffness: 1, friction: 0.5 }, 'contacts.friction'],
    ];
    for (const [options, field] of bad) {
      let error: unknown;
      try {
        contacts(options as never);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(options)).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field, JSON.stringify(options)).toBe(field);
    }
  });

  it('declares energy only when undamped, and round-trips through JSON', () => {
    expect(contacts({ model: 'hooke', stiffness: 10 }).conserves).toEqual(['energy', 'momentum', 'angularMomentum']);
    expect(contacts({ model: 'hooke', stiffness: 10, restitution: 1 }).conserves).toContain('energy');
    expect(contacts({ model: 'hertz', stiffness: 10, damping: 2 }).conserves).toEqual(['momentum', 'angularMomentum']);
    for (const rule of [
      contacts({ model: 'hooke', stiffness: 10, restitution: 0.5 }),
      contacts({ model: 'hertz', stiffness: 3, damping: 1 }),
    ]) {
      expect(ruleFromJSON(JSON.parse(JSON.stringify(ruleToJSON(rule))))).toEqual(rule);
    }
  });

  it('restitution becomes the damping ratio of the linear spring–dashpot: e = exp(−γπ/(2ω))', () => {
    for (const e of [0.1, 0.5, 0.9, 1]) {
      const beta = dampingRatioForRestitution(e);
      // c = β·sqrt(k·m): γ = c/m = β·ω0, ω = ω0·sqrt(1 − β²/4).
      const omega = Math.sqrt(1 - (beta * beta) / 4);
      expect(Math.exp((-beta * Math.PI) / (2 * omega))).toBeCloseTo(e, 14);
    }
  });

  it('puts one term in the plan, and cannot be combined with collisions or a periodic box', () => {
    const plan = compileKernelPlan(defineSystem({ rules: [contacts({ model: 'hooke', stiffness: 5, restitution: 0.5 })] }), 0.01);
    expect(plan.contacts).toEqual({
      rule: 0,
      model: 'hooke',
      stiffness: 5,
      dampingRate: 0,
      dampingRatio: dampingRatioForRestitution(0.5),
      tangential: null,
    });
    expect(() => defineSystem({ rules: [contacts({ model: 'hooke', stiffness: 5 }), collisions()] })).toThrow(ValidationError);
    expect(() =>
      defineSystem({ rules: [contacts({ model: 'hooke', stiffness: 5 }), periodic({ min: [0, 0, 0], max: [9, 9, 9] })] }),
    ).toThrow(ValidationError);
  });

  it('reports ½kδ² (hooke) and (2/5)k·sqrt(R_eff)·δ^{5/2} (hertz) as potential energy', () => {
    const state = ParticleState.from({
      position: [
        [0, 0, 0],
        [0.75, 0, 0],
        [5, 0, 0],
      ],
      mass: 1,
      radius: [0.5, 0.5, 0.25],
    });
    const delta = 1 - 0.75;
    const hooke = computeDiagnostics(state, defineSystem({ rules: [contacts({ model: 'hooke', stiffness: 8 })] }));
    expect(hooke.potential).toBeCloseTo(0.5 * 8 * delta * delta, 12);
    const hertz = computeDiagnostics(state, defineSystem({ rules: [contacts({ model: 'hertz', stiffness: 8 })] }));
    expect(hertz.potential).toBeCloseTo(0.4 * 8 * Math.sqrt(0.25) * delta ** 2.5, 12);
  });
});
