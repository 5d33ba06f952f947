import { describe, expect, it } from 'vitest';
import {
  ValidationError,
  buildProgram,
  compileFunction,
  differentiate,
  evaluate,
  exprEquals,
  formatExpression,
  freeVariables,
  parseExpression,
  simplify,
  substitute,
  type Expr,
} from '../src/index.js';

const parse = (s: string) => parseExpression(s, { variables: ['x', 'y', 'k', 'r0', 'r'], field: 'f' });
/** simplify(parse(a)) prints as b. */
const simp = (s: string) => formatExpression(simplify(parse(s)));

describe('simplify', () => {
  it.each([
    ['2 + 3 * 4', '14'],
    ['sqrt(16) + exp(0) + log(1) + sin(0) + cos(0) + abs(-2)', '8'],
    ['min(2, 3) + max(2, 3) + select(0, 1, 7) + step(-1) + floor(2.5) + ceil(2.5)', '17'],
    ['erfc(0) + erf(0) + tanh(0) + atan(0) + asin(0) + acos(1) + sinh(0) + cosh(0) + tan(0)', '2'],
    ['2^0.5', String(Math.SQRT2)],
    ['2^10', '1024'],
    ['x + 0', 'x'],
    ['0 + x', 'x'],
    ['x - 0', 'x'],
    ['0 - x', '-x'],
    ['x * 1', 'x'],
    ['1 * x', 'x'],
    ['x * 0', '0'],
    ['0 * sin(x)', '0'],
    ['x / 1', 'x'],
    ['0 / x', '0'],
    ['-(-x)', 'x'],
    ['-(2)', '-2'],
    ['x^0', '1'],
    ['x^1', 'x'],
    ['(x^2)^3', 'x^6'],
    ['(x^-2)^3', 'x^(-6)'],
    ['x*x', 'x^2'],
    ['x^2*x', 'x^3'],
    ['x*x^3', 'x^4'],
    ['x^2*x^-2', '1'],
    ['sin(y)*sin(y)', 'sin(y)^2'],
    ['x*3', '3*x'],
    ['2*(3*x)', '6*x'],
    ['x - x', '0'],
    ['x + -y', 'x - y'],
    ['x - -y', 'x + y'],
    ['x + -2', 'x - 2'],
    ['(-x)^2', 'x^2'],
    ['(-x)^3', '-x^3'],
    ['(-x)*(-y)', 'x*y'],
    ['select(1, x, y) + select(x, y, y)', 'x + y'],
    ['x^(1 + 1)', 'x^2'],
    ['x^2.5', 'x^2.5'],
  ])('%s -> %s', (src, want) => {
    expect(simp(src)).toBe(want);
  });

  it('leaves folds that would be NaN or Infinity unfolded', () => {
    for (const src of ['1/0', 'log(-1)', 'sqrt(-1)', '0/0', 'exp(1000)', '10^400']) {
      const s = simplify(parse(src));
      expect(s.op, src).not.toBe('num');
      expect(JSON.stringify(s)).not.toMatch(/null|Infinity|NaN/);
    }
  });

  it('keeps 0 and -0 apart (exprEquals uses Object.is)', () => {
    expect(exprEquals({ op: 'num', value: 0 }, { op: 'num', value: -0 })).toBe(false);
    expect(exprEquals(parse('x + y*2'), parse('x+y*2'))).toBe(true);
    expect(exprEquals(parse('x + y*2'), parse('x + y*3'))).toBe(false);
    expect(exprEquals(parse('min(x, y)'), parse('max(x, y)'))).toBe(false);
    expect(exprEquals(parse('x^2'), parse('x^3'))).toBe(false);
  });
});

describe('substitute and freeVariables', () => {
  it('parameters become numbers and fold', () => {
    const e = parse('0.5*k*(r - r0)^2');
    expect(freeVariables(e)).toEqual(new Set(['k', 'r', 'r0']));
    const s = substitute(e, { k: 100, r0: 1 });
    expect(freeVariables(s)).toEqual(new Set(['r']));
    expect(formatExpression(s)).toBe('50*(r - 1)^2');
    expect(evaluate(s, { r: 1.5 })).toBe(12.5);
  });

  it('variables can be replaced by trees', () => {
    const s = substitute(parse('x^2 + y'), { x: parse('y + 1') });
    expect(formatExpression(s)).toBe('(y + 1)^2 + y');
  });

  it('an own-property lookup: names like toString are ordinary variables', () => {
    const e: Expr = { op: 'add', a: { op: 'var', name: 'toString' }, b: { op: 'var', name: 'x' } };
    expect(freeVariables(substitute(e, { x: 1 }))).toEqual(new Set(['toString']));
  });
});

describe('shared subtrees from definitions', () => {
  // 40 nested definitions: the tree written out would have 2^40 nodes.
  const names = Array.from({ length: 40 }, (_, i) => `d${i}`);
  const chain = `d0; ${names.map((n, i) => `${n} = ${i === 39 ? 'x' : `${names[i + 1]}*${names[i + 1]}*0.5 + 1`}`).join('; ')}`;

  it('an expression that expands exponentially is rejected with a ValidationError', () => {
    expect(() => parse(chain)).toThrow(ValidationError);
    expect(() => parse(chain)).toThrow(/more than 100000 nodes/);
  });

  it('moderate nesting is kept shared through simplify, differentiate and buildProgram', () => {
    const src = `d0; ${names
      .slice(0, 12)
      .map((n, i) => `${n} = ${i === 11 ? 'sin(x)' : `${names[i + 1]}*${names[i + 1]}*0.5 + 1`}`)
      .join('; ')}`;
    const e = parse(src);
    const s = simplify(e);
    const d = differentiate(e, 'x');
    const p = buildProgram([s, d]);
    expect(p.temps.length).toBeLessThan(200);
    const f = compileFunction(d, ['x']);
    const h = 1e-6;
    const num = (evaluate(e, { x: 0.3 + h }) - evaluate(e, { x: 0.3 - h })) / (2 * h);
    expect(Math.abs(f(0.3) - num) / Math.abs(num)).toBeLessThan(1e-5);
  });
});
