import { describe, expect, it } from 'vitest';
import { FUNCTIONS, ValidationError, erf, erfc, evaluate, parseExpression, type FunctionName } from '../src/index.js';

const parse = (s: string) => parseExpression(s, { variables: ['x', 'y', 'z'], field: 'f' });
const ev = (s: string, x: number, y = 0, z = 0) => evaluate(parse(s), { x, y, z });

describe('evaluate: every function against Math', () => {
  const oneArg: [FunctionName, (x: number) => number, number[]][] = [
    ['sqrt', Math.sqrt, [0, 0.25, 2, 1e6]],
    ['exp', Math.exp, [-3, 0, 1.5]],
    ['log', Math.log, [0.1, 1, 20]],
    ['sin', Math.sin, [-2, 0, 1.3]],
    ['cos', Math.cos, [-2, 0, 1.3]],
    ['tan', Math.tan, [-1, 0, 1.3]],
    ['asin', Math.asin, [-0.9, 0, 0.5]],
    ['acos', Math.acos, [-0.9, 0, 0.5]],
    ['atan', Math.atan, [-5, 0, 0.5]],
    ['sinh', Math.sinh, [-2, 0, 1.5]],
    ['cosh', Math.cosh, [-2, 0, 1.5]],
    ['tanh', Math.tanh, [-2, 0, 1.5]],
    ['abs', Math.abs, [-2.5, 0, 3]],
    ['floor', Math.floor, [-2.5, 0, 3.7]],
    ['ceil', Math.ceil, [-2.5, 0, 3.2]],
    ['step', (x) => (x >= 0 ? 1 : 0), [-1e-300, 0, 2]],
  ];
  it.each(oneArg)('%s', (fn, ref, xs) => {
    for (const x of xs) expect(ev(`${fn}(x)`, x)).toBe(ref(x));
  });

  it('min, max, select', () => {
    expect(ev('min(x, y)', 1, 2)).toBe(1);
    expect(ev('min(x, y)', 3, -2)).toBe(-2);
    expect(ev('max(x, y)', 1, 2)).toBe(2);
    expect(ev('max(x, y)', 3, -2)).toBe(3);
    expect(ev('select(x, y, z)', 0, 5, 7)).toBe(7);
    expect(ev('select(x, y, z)', -0.1, 5, 7)).toBe(5);
    expect(ev('select(x, y, z)', NaN, 5, 7)).toBe(5); // NaN != 0, as in Lepton
  });

  it('covers every function of FUNCTIONS', () => {
    const tested = new Set([
      ...['sqrt', 'exp', 'log', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan'],
      ...['sinh', 'cosh', 'tanh', 'abs', 'floor', 'ceil', 'step', 'min', 'max', 'select', 'erf', 'erfc'],
    ]);
    expect(new Set(Object.keys(FUNCTIONS))).toEqual(tested);
  });

  it('powers: integer and real exponents', () => {
    expect(ev('x^12', 1.1)).toBeCloseTo(Math.pow(1.1, 12), 13);
    expect(ev('x^-3', 2)).toBe(0.125);
    expect(ev('x^0', 0)).toBe(1);
    expect(ev('x^1.5', 4)).toBe(8);
    expect(ev('x^y', 2, 0.5)).toBe(Math.SQRT2);
    expect(ev('(-x)^3', 2)).toBe(-8);
  });

  it('throws a ValidationError on an unbound variable (own properties only)', () => {
    expect(() => evaluate(parse('x + y'), { x: 1 })).toThrow(ValidationError);
    expect(() => evaluate({ op: 'var', name: 'constructor' }, {})).toThrow(/unbound variable 'constructor'/);
  });
});

describe('erf and erfc', () => {
  // Reference values (mpmath, 16 digits).
  const erfRef: [number, number][] = [
    [0.5, 0.5204998778130465],
    [0.1, 0.1124629160182849],
    [1, 0.8427007929497149],
    [2, 0.9953222650189527],
    [-0.3, -0.3286267594591912],
    [1e-8, 1.1283791670955126e-8],
  ];
  const erfcRef: [number, number][] = [
    [3, 2.209049699858544e-5],
    [5, 1.5374597944280349e-12],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [10, 2.088487583762545e-45],
    [20, 5.395865611607901e-176],
    [-1, 1.8427007929497148],
    [0.2, 0.7772974107895215],
  ];
  it.each(erfRef)('erf(%s)', (x, v) => {
    expect(Math.abs(erf(x) - v) / Math.abs(v)).toBeLessThan(1e-7);
    expect(ev('erf(x)', x)).toBe(erf(x));
  });
  it.each(erfcRef)('erfc(%s) keeps relative accuracy', (x, v) => {
    expect(Math.abs(erfc(x) - v) / Math.abs(v)).toBeLessThan(1e-7);
    expect(ev('erfc(x)', x)).toBe(erfc(x));
  });
  it('limits and symmetry', () => {
    expect(erf(0)).toBe(0);
    expect(erfc(0)).toBe(1);
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(erfc(30)).toBe(0);
    expect(Number.isNaN(erf(NaN))).toBe(true);
    for (const x of [0.01, 0.3, 0.46875, 0.47, 1.7, 3.9, 4, 4.1, 6]) {
      expect(erf(-x)).toBe(-erf(x));
      expect(erf(x) + erfc(x)).toBeCloseTo(1, 15);
    }
  });
});
