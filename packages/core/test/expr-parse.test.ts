import { describe, expect, it } from 'vitest';
import { ValidationError, evaluate, parseExpression, type Expr } from '../src/index.js';

const VARS = ['x', 'y', 'z', 'r', 'sigma1', 'sigma2', 'epsilon1', 'epsilon2'];
const parse = (s: string, variables: string[] = VARS): Expr => parseExpression(s, { variables, field: 'f' });
const env = { x: 2, y: 3, z: 0.5, r: 1.25, sigma1: 1, sigma2: 2, epsilon1: 4, epsilon2: 9 };
const value = (s: string) => evaluate(parse(s), env);

/** The error for `source`, asserting it is a ValidationError with the caret under `column`. */
function parseError(source: string, column: number, variables: string[] = VARS): string {
  let caught: unknown;
  try {
    parse(source, variables);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ValidationError);
  const err = caught as ValidationError;
  expect(err.field).toBe('f');
  const lines = err.message.split('\n');
  const shown = source.replace(/[\t\n\r\v\f]/g, ' ');
  expect(lines[1]).toBe(`  ${shown}`);
  expect(lines[2]).toBe(`  ${' '.repeat(column)}^`);
  return err.message;
}

describe('parseExpression: numbers', () => {
  it.each([
    ['1', 1],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['1e-3', 1e-3],
    ['2.5E+4', 2.5e4],
    ['3.', 3],
    ['1E2', 100],
  ])('%s', (s, v) => {
    expect(parse(s)).toEqual({ op: 'num', value: v });
  });

  it('a bare negative literal is a number; -(2) and -2^2 are negations as written', () => {
    expect(parse('-2')).toEqual({ op: 'num', value: -2 });
    expect(parse('-(2)')).toEqual({ op: 'neg', a: { op: 'num', value: 2 } });
    expect(value('-2^2')).toBe(-4);
  });
});

describe('parseExpression: operators, precedence, associativity', () => {
  it.each([
    ['x + y * z', 2 + 3 * 0.5],
    ['(x + y) * z', (2 + 3) * 0.5],
    ['x - y - z', 2 - 3 - 0.5],
    ['x - (y - z)', 2 - (3 - 0.5)],
    ['x / y / z', 2 / 3 / 0.5],
    ['x / (y / z)', 2 / (3 / 0.5)],
    ['x * y / z * x', ((2 * 3) / 0.5) * 2],
    ['x ^ y ^ z', Math.pow(2, Math.pow(3, 0.5))],
    ['2 ^ 3 ^ 2', 512],
    ['(2 ^ 3) ^ 2', 64],
    ['-x ^ 2', -4],
    ['(-x) ^ 2', 4],
    ['-x * y', -6],
    ['- - x', 2],
    ['+x', 2],
    ['x - -y', 5],
    ['x * -y', -6],
    ['x ^ -2', 0.25],
    ['2 ^ -x ^ 2', Math.pow(2, -4)],
    ['x^(2*3)', 64],
    ['x + y ^ 2 * z', 2 + 9 * 0.5],
    ['min(x, y) + max(x, y) * 2', 2 + 6],
    ['select(x - 2, 10, 20)', 20],
    ['select(x, 10, 20)', 10],
    ['step(x - 2) + step(-1)', 1],
    ['sqrt(x*x + y*y)', Math.sqrt(13)],
    ['  x\t+\ny ', 5],
  ])('%s', (s, v) => {
    expect(value(s)).toBeCloseTo(v, 14);
  });

  it('integer exponents (after folding) become powi, others pow', () => {
    expect(parse('x^12')).toEqual({ op: 'powi', a: { op: 'var', name: 'x' }, n: 12 });
    expect(parse('x^-2')).toEqual({ op: 'powi', a: { op: 'var', name: 'x' }, n: -2 });
    expect(parse('x^(2*3)')).toMatchObject({ op: 'powi', n: 6 });
    expect(parse('(x/r)^12')).toMatchObject({ op: 'powi', n: 12, a: { op: 'div' } });
    expect(parse('x^n; n = 4')).toMatchObject({ op: 'powi', n: 4 });
    expect(parse('x^1.5')).toMatchObject({ op: 'pow', b: { op: 'num', value: 1.5 } });
    expect(parse('x^y')).toMatchObject({ op: 'pow' });
    expect(parse('x^(1/2)')).toMatchObject({ op: 'pow' });
  });

  it('calls every function with its arity', () => {
    expect(value('atan(1) * 4')).toBeCloseTo(Math.PI, 15);
    expect(parse('erfc(x)')).toEqual({ op: 'call', fn: 'erfc', args: [{ op: 'var', name: 'x' }] });
    expect(parse('select(x, y, z)')).toMatchObject({ op: 'call', fn: 'select' });
  });
});

describe('parseExpression: definitions', () => {
  it('substitutes definitions into the main expression (Lennard-Jones, Lorentz-Berthelot)', () => {
    const lj = '4*eps*((sig/r)^12 - (sig/r)^6); sig = 0.5*(sigma1+sigma2); eps = sqrt(epsilon1*epsilon2)';
    const sig = 1.5;
    const eps = 6;
    expect(value(lj)).toBeCloseTo(4 * eps * ((sig / 1.25) ** 12 - (sig / 1.25) ** 6), 12);
  });

  it('definitions may use each other in any order', () => {
    expect(value('a + b; b = c * 2; c = x + 1; a = b * c')).toBe(6 * 3 + 6);
  });

  it('rejects a cycle, a duplicate, a shadowed variable, a function name', () => {
    expect(parseError('a; a = b + 1; b = a', 3)).toContain('cycle: a -> b -> a');
    expect(parseError('a; a = a', 3)).toContain('cycle');
    expect(parseError('a; a = 1; a = 2', 10)).toContain("'a' is defined twice");
    expect(parseError('x; x = 1', 3)).toContain("definition 'x' shadows a variable");
    expect(parseError('x; sqrt = 1', 3)).toContain('name of a function');
  });

  it('rejects malformed definitions', () => {
    expect(parseError('x; 3 = y', 3)).toContain("expected a definition 'name = expression'");
    expect(parseError('x; a y', 5)).toContain("expected '=' after 'a'");
    expect(parseError('x; a =', 6)).toContain("empty definition of 'a'");
    expect(parseError('x;', 2)).toContain('empty definition');
    expect(parseError('x; a = 1;', 9)).toContain('empty definition');
    expect(parseError('x; a = q', 7)).toContain("unknown identifier 'q'");
  });
});

describe('parseExpression: errors quote the source with a caret at the column', () => {
  it('unknown identifier, listing the known ones sorted', () => {
    const src = '4*eps*(sigmaa/r)^12; eps = 1';
    const msg = parseError(src, 7, ['r', 'sigma']);
    expect(msg).toBe(`f: unknown identifier 'sigmaa'\n  ${src}\n         ^\nknown identifiers: eps, r, sigma`);
  });

  it('the documented message shape', () => {
    const msg = parseError('4*eps*(sigmaa/r)^12', 7, ['eps', 'r', 'sig']);
    expect(msg).toContain("unknown identifier 'sigmaa'\n  4*eps*(sigmaa/r)^12\n         ^");
    expect(msg).toContain('known identifiers: eps, r, sig');
  });

  it('a function name used as a variable', () => {
    expect(parseError('x + sqrt', 4)).toContain("'sqrt' is a function");
  });

  it('unexpected character', () => {
    expect(parseError('x $ y', 2)).toContain("unexpected character '$'");
    expect(parseError('x == y', 2)).toContain("unexpected '='");
  });

  it('unexpected end', () => {
    expect(parseError('x +', 3)).toContain('unexpected end of expression');
    expect(parseError('x * (y', 6)).toContain("missing ')'");
    expect(parseError('-', 1)).toContain('unexpected end');
  });

  it("missing ')' names where the '(' was", () => {
    const msg = parseError('sqrt(x + (y * 2)', 16);
    expect(msg).toContain("missing ')' to close '(' at column 5");
    expect(parseError('min(x y)', 6)).toContain("missing ')'");
  });

  it("an unmatched ')'", () => {
    expect(parseError('x + y)', 5)).toContain("unmatched ')'");
  });

  it('unexpected tokens after a complete expression', () => {
    expect(parseError('x y', 2)).toContain("unexpected identifier 'y'");
    expect(parseError('2 3', 2)).toContain("unexpected number '3'");
    expect(parseError('x * * y', 4)).toContain("unexpected '*'");
  });

  it('unknown function', () => {
    const msg = parseError('x + sqr(y)', 4);
    expect(msg).toContain("unknown function 'sqr'");
    expect(msg).toContain('functions: abs, acos');
  });

  it('wrong number of arguments', () => {
    expect(parseError('1 + min(x)', 4)).toContain("function 'min' takes 2 arguments, got 1");
    expect(parseError('sqrt(x, y)', 0)).toContain("function 'sqrt' takes 1 argument, got 2");
    expect(parseError('select(x, y)', 0)).toContain('takes 3 arguments, got 2');
    expect(parseError('exp()', 0)).toContain('got 0');
  });

  it('empty expression', () => {
    expect(parseError('', 0)).toContain('empty expression');
    expect(parseError('   ', 3)).toContain('empty expression');
    expect(parseError('; a = 1', 0)).toContain('empty expression');
    expect(parseError('()', 1)).toContain("unexpected ')'");
  });

  it('numbers that overflow, malformed numbers', () => {
    expect(parseError('x + 1e400', 4)).toContain("number '1e400' is too large");
    expect(parseError('2e + x', 0)).toContain('malformed number');
  });

  it('a multi-line source keeps its caret aligned', () => {
    parseError('x +\n  foo', 6);
  });

  it('deep nesting is an error, not a stack overflow', () => {
    const deep = '('.repeat(5000) + 'x' + ')'.repeat(5000);
    expect(() => parse(deep)).toThrow(ValidationError);
    expect(() => parse('-'.repeat(5000) + 'x')).toThrow(/nested too deeply/);
  });
});
