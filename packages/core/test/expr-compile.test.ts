import { afterEach, describe, expect, it, vi } from 'vitest';
import { ValidationError, canGenerateCode, compileFunction, evaluate, parseExpression } from '../src/index.js';

const VARS = ['r', 'sig', 'eps', 'q', 'x'];
const parse = (s: string) => parseExpression(s, { variables: VARS, field: 'f' });

const SOURCES = [
  '4*eps*((sig/r)^12 - (sig/r)^6)',
  '138.935*q*erfc(0.3*r)/r',
  'select(step(x - 1), sqrt(abs(x)), min(x, r)^-3) + max(sig, eps)',
  'tanh(x) * cosh(r) - sinh(x) / exp(r) + log(r) * atan(x) + asin(0.5*tanh(x)) - acos(0.3)',
  'floor(x * 3) + ceil(r) + erf(x) + tan(x)',
  'r^sig + (x*x + 1)^1.5',
];
const ARGS = ['r', 'sig', 'eps', 'q', 'x'];

function points(n: number): number[][] {
  const out: number[][] = [];
  let s = 1;
  const next = () => (s = (s * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < n; i++) out.push([0.8 + 2 * next(), 0.5 + next(), 0.1 + next(), next() * 2 - 1, next() * 6 - 3]);
  return out;
}
const envOf = (p: number[]) => Object.fromEntries(ARGS.map((a, i) => [a, p[i]!]));

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('compileFunction', () => {
  it('can generate code in Node', () => {
    expect(canGenerateCode()).toBe(true);
  });

  it.each(SOURCES)('generated code agrees with evaluate: %s', (src) => {
    const e = parse(src);
    const f = compileFunction(e, ARGS);
    expect(f.generated).toBe(true);
    for (const p of points(50)) {
      const want = evaluate(e, envOf(p));
      const got = f(...p);
      // Same operations in the same order, except shared temps: equal up to the last bits.
      if (Number.isNaN(want)) expect(got).toBeNaN();
      else expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(want)));
    }
  });

  it.each(SOURCES)('the interpreter fallback agrees with evaluate exactly: %s', (src) => {
    const e = parse(src);
    const f = compileFunction(e, ARGS, { generate: false });
    expect(f.generated).toBe(false);
    for (const p of points(20)) expect(Object.is(f(...p), evaluate(e, envOf(p)))).toBe(true);
  });

  it('falls back when new Function throws (a strict Content-Security-Policy)', () => {
    const e = parse('sqrt(r) + x^2');
    vi.stubGlobal('Function', function refused() {
      throw new EvalError('Refused to evaluate a string as JavaScript (CSP)');
    });
    const f = compileFunction(e, ARGS);
    vi.unstubAllGlobals();
    expect(f.generated).toBe(false);
    expect(f(4, 0, 0, 0, 3)).toBe(11);
  });

  it('argument order is positional, unused arguments are fine', () => {
    const f = compileFunction(parse('r - 2*x'), ['x', 'r', 'sig']);
    expect(f(1, 10, 99)).toBe(8);
  });

  it('variable names that are JS keywords or globals cannot break the generated code', () => {
    const e = parseExpression('class + this * Math', { variables: ['class', 'this', 'Math'], field: 'f' });
    const f = compileFunction(e, ['class', 'this', 'Math']);
    expect(f.generated).toBe(true);
    expect(f(1, 2, 3)).toBe(7);
  });

  it('rejects expressions using variables that are not arguments, and duplicate arguments', () => {
    expect(() => compileFunction(parse('r + x'), ['r'])).toThrow(ValidationError);
    expect(() => compileFunction(parse('r + x'), ['r'])).toThrow(/'x'/);
    expect(() => compileFunction(parse('r'), ['r', 'r'])).toThrow(/twice/);
  });
});
