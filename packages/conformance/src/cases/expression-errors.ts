import {
  BackendUnavailableError,
  bondForce,
  createSimulation,
  defineSystem,
  externalForce,
  field,
  pairForce,
  ParticleState,
  periodic,
  registerBackend,
  resolveBackend,
  uniformGravity,
  unregisterBackend,
  ValidationError,
  type Backend,
  type Rule,
  type RuleKind,
} from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { expectTypedError } from '../helpers/errors.js';

/**
 * What goes wrong with rules written as expressions is said early and precisely: a typo is a
 * ValidationError quoting the expression with a caret under the offending column, before any
 * backend exists; a backend that does not implement a kind is refused by name with that reason
 * and never chosen by `auto` (instead of running a system whose particles silently do not move).
 */

/** Column of the caret under the quoted source (the message quotes `  source` then `  ···^`). */
function caretColumn(message: string, source: string): number {
  const lines = message.split('\n');
  const quoted = lines.indexOf(`  ${source}`);
  expect(quoted, `the message quotes the expression:\n${message}`).toBeGreaterThanOrEqual(0);
  const caret = lines[quoted + 1] ?? '';
  expect(caret.trimEnd().endsWith('^') && /^ *\^$/.test(caret.trimEnd()), `a caret line under the quote:\n${message}`).toBe(true);
  return caret.indexOf('^') - 2;
}

/** One small system per kind, each using only that kind (plus what it needs). */
function systemUsing(kind: RuleKind): { rules: Rule[]; state: () => ParticleState } {
  const state = () =>
    ParticleState.from({
      position: [
        [0, 0, 0],
        [1.5, 0, 0],
        [0, 1.5, 0],
      ],
      mass: 1,
      attributes: { q: [1, -1, 2] },
    });
  switch (kind) {
    case 'pairForce':
      return { rules: [pairForce({ energy: 'q1*q2/r', perParticle: ['q'] })], state };
    case 'externalForce':
      return { rules: [externalForce({ energy: '0.5*(x^2 + y^2 + z^2)' })], state };
    case 'bondForce':
      return { rules: [bondForce({ energy: '(r - 1)^2', bonds: [[0, 1]] })], state };
    case 'field':
      return { rules: [field({ acceleration: ['-vx', '-vy', '-vz'] })], state };
    case 'periodic':
      return { rules: [periodic({ min: [-5, -5, -5], max: [5, 5, 5] })], state };
    default:
      throw new Error(`no expression system for ${kind}`);
  }
}

const EXPRESSION_KINDS: RuleKind[] = ['pairForce', 'externalForce', 'bondForce', 'field', 'periodic'];

export function expressionErrorCases(ctx: SuiteContext): void {
  describe('errors of rules written as expressions', () => {
    it('parse errors and unknown identifiers are ValidationErrors with a caret under the right column', async () => {
      const cases: { what: string; make: () => unknown; field: string; source: string; column: number; says: RegExp }[] = [
        {
          what: 'unknown identifier in a pair energy',
          make: () => pairForce({ energy: 'k*q1*q3/r', perParticle: ['q'], parameters: { k: 1 } }),
          field: 'pairForce.energy',
          source: 'k*q1*q3/r',
          column: 5,
          says: /q3/,
        },
        {
          what: 'unclosed parenthesis',
          make: () => pairForce({ energy: '4*((1/r)^12 - (1/r)^6' }),
          field: 'pairForce.energy',
          source: '4*((1/r)^12 - (1/r)^6',
          column: 21,
          says: /\)/,
        },
        {
          what: 'two operators in a row',
          make: () => externalForce({ energy: 'x^2 + 1 * * y' }),
          field: 'externalForce.energy',
          source: 'x^2 + 1 * * y',
          column: 10,
          says: /\*/,
        },
        {
          what: "a field reading 'mass' (the language calls it m)",
          make: () => field({ acceleration: ['0', 'q*vy*Bz/mass', '0'], perParticle: ['q'], parameters: { Bz: 1 } }),
          field: 'field.acceleration[1]',
          source: 'q*vy*Bz/mass',
          column: 8,
          says: /mass/,
        },
        {
          what: 'unknown identifier inside a definition',
          make: () => bondForce({ energy: 'a*r; a = b + 1', bonds: [[0, 1]] }),
          field: 'bondForce.energy',
          source: 'a*r; a = b + 1',
          column: 9,
          says: /'b'/,
        },
        {
          what: 'unknown function',
          make: () => pairForce({ energy: '2*sqr(r)' }),
          field: 'pairForce.energy',
          source: '2*sqr(r)',
          column: 2,
          says: /sqr/,
        },
        {
          what: 'expression ending in an operator',
          make: () => pairForce({ energy: 'r^' }),
          field: 'pairForce.energy',
          source: 'r^',
          column: 2,
          says: /end/,
        },
        {
          what: "a pair energy reading an external variable ('x')",
          make: () => pairForce({ energy: 'r + x' }),
          field: 'pairForce.energy',
          source: 'r + x',
          column: 4,
          says: /'x'/,
        },
      ];
      for (const c of cases) {
        const error = await expectTypedError(c.make, ValidationError, 'VALIDATION', c.what);
        expect(error.field, `${c.what}: field`).toBe(c.field);
        expect(error.message, `${c.what}: names the problem`).toMatch(c.says);
        expect(caretColumn(error.message, c.source), `${c.what}: caret column in\n${error.message}`).toBe(c.column);
      }
    });

    it('a state missing an attribute a rule reads is a ValidationError naming it, before any step', async () => {
      const system = defineSystem({ rules: [pairForce({ energy: 'q1*q2/r', perParticle: ['q'] })] });
      const state = ParticleState.from({
        position: [
          [0, 0, 0],
          [1, 0, 0],
        ],
        mass: 1,
      });
      const error = await expectTypedError(() => ctx.create(system, state, 0.01), ValidationError, 'VALIDATION', 'missing attribute q');
      expect(error.message).toContain("'q'");
    });

    // The backend under test, for each expression kind it does not list.
    const missing = EXPRESSION_KINDS.filter((k) => !ctx.supports(k));
    for (const kind of missing) {
      it(`'${ctx.backend.name}' lacks ${kind}: asking for it by name is refused with that reason, and auto never picks it`, async () => {
        const { rules, state } = systemUsing(kind);
        const system = defineSystem({ rules });
        const error = await expectTypedError(
          () => createSimulation({ ...ctx.options, system, state: state(), dt: 0.01, backend: ctx.backend.name }),
          BackendUnavailableError,
          'BACKEND_UNAVAILABLE',
          `${ctx.backend.name} for ${kind}`,
        );
        const reason = error.reasons.find((r) => r.name === ctx.backend.name);
        expect(reason?.reason, `reason given for ${ctx.backend.name}`).toContain(kind);
        expect(error.message).toContain(kind);
        const chosen = await resolveBackend('auto', system).catch((e: unknown) => e);
        if (chosen instanceof BackendUnavailableError) {
          expect(chosen.reasons.find((r) => r.name === ctx.backend.name)?.reason, 'auto skipped it for that reason').toContain(kind);
        } else {
          expect((chosen as Backend).name, 'auto').not.toBe(ctx.backend.name);
          expect((chosen as Backend).rules, `auto picked a backend implementing ${kind}`).toContain(kind);
        }
      });
    }

    // And against a backend registered here that lacks one kind but outranks every other.
    it.skipIf(!ctx.supports('pairForce'))(
      'a faster registered backend lacking pairForce: auto skips it, by name it is refused naming pairForce',
      async () => {
        const name = 'conformance-without-pairForce';
        const fake: Backend = {
          name,
          speed: 1e9,
          rules: ctx.backend.rules.filter((k) => k !== 'pairForce'),
          probe: async () => ({ available: true }),
          create: () => {
            throw new Error(`${name} must never be chosen for these systems`);
          },
        };
        registerBackend(fake);
        try {
          const { rules, state } = systemUsing('pairForce');
          const system = defineSystem({ rules });
          const chosen = await resolveBackend('auto', system);
          expect(chosen.name, 'auto for a system with pairForce').not.toBe(name);
          expect(chosen.rules).toContain('pairForce');
          // Without the missing kind auto does pick it: it is skipped for the kind, not by accident.
          if (ctx.supports('uniformGravity')) {
            const preset = defineSystem({ rules: [uniformGravity()] });
            expect((await resolveBackend('auto', preset)).name, 'auto for a preset-only system').toBe(name);
          }
          const error = await expectTypedError(
            () => createSimulation({ system, state: state(), dt: 0.01, backend: name }),
            BackendUnavailableError,
            'BACKEND_UNAVAILABLE',
            'the fake backend by name',
          );
          expect(error.reasons.find((r) => r.name === name)?.reason).toContain('pairForce');
          // A list falls through to the next backend that implements the kind.
          const listed = await createSimulation({ ...ctx.options, system, state: state(), dt: 0.01, backend: [name, ctx.backend.name] });
          ctx.track(listed);
          expect(listed.backend).toBe(ctx.backend.name);
        } finally {
          unregisterBackend(name);
        }
      },
    );
  });
}
