import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FUNCTIONS,
  JS_PRELUDE,
  ValidationError,
  WGSL_PRELUDE,
  buildProgram,
  differentiate,
  emitC,
  emitJS,
  emitWGSL,
  erf,
  erfc,
  evaluate,
  parseExpression,
  programToC,
  programToWGSL,
  simplify,
  type Expr,
} from '../src/index.js';

const VARS = ['x', 'y', 'z', 'r'];
const parse = (s: string) => parseExpression(s, { variables: VARS, field: 'f' });
const plain = { name: (v: string) => v };
const wgsl = (s: string) => emitWGSL(parse(s), plain);

/** Every numeric literal in generated WGSL/C text (not digits inside identifiers like _t0 or br_erf). */
function literals(code: string): string[] {
  return [...code.matchAll(/(?<![A-Za-z_0-9.])(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)[fh]?/g)].map((m) => m[0]);
}

const GRID = Array.from({ length: 400 }, (_, i) => -7 + i * 0.0371);

describe('emitJS', () => {
  const fns = Object.keys(FUNCTIONS) as (keyof typeof FUNCTIONS)[];
  it('every function, run with new Function, equals evaluate bit for bit', () => {
    for (const fn of fns) {
      const args = ['x', 'y', 'z'].slice(0, FUNCTIONS[fn]).join(', ');
      const e = parse(`${fn}(${args})`);
      const f = new Function('x', 'y', 'z', `${JS_PRELUDE}\nreturn ${emitJS(e, plain)};`) as (...v: number[]) => number;
      for (const x of [-2.5, -0.5, 0, 0.3, 0.9, 4.5]) {
        for (const [y, z] of [
          [0, 1],
          [2, -3],
        ] as const) {
          expect(Object.is(f(x, y, z), evaluate(e, { x, y, z })), `${fn}(${x}, ${y}, ${z})`).toBe(true);
        }
      }
    }
  });

  it('JS_PRELUDE erf/erfc are erf.ts bit for bit', () => {
    const [perf, perfc] = new Function(`${JS_PRELUDE}\nreturn [__br_erf, __br_erfc];`)() as ((x: number) => number)[];
    for (const x of [...GRID, 0, 26.6, 30, Infinity, -Infinity]) {
      expect(Object.is(perf!(x), erf(x))).toBe(true);
      expect(Object.is(perfc!(x), erfc(x))).toBe(true);
    }
    expect(perf!(NaN)).toBeNaN();
  });

  it('maps variable names, parenthesizes negatives, select/step as conditionals', () => {
    expect(emitJS(parse('x - -2*y'), { name: (v) => `s.${v}[i]` })).toBe('(s.x[i] - ((-2) * s.y[i]))');
    expect(emitJS(parse('select(x, y, 0)'), plain)).toBe('(x !== 0 ? y : 0)');
    expect(emitJS(parse('step(x)'), plain)).toBe('(x >= 0 ? 1 : 0)');
    expect(emitJS(parse('select(step(x), 1, -1)'), plain)).toBe('(x >= 0 ? 1 : (-1))');
    expect(emitJS(parse('erfc(x)'), plain)).toBe('__br_erfc(x)');
  });

  it('a bare powi is multiplied out, never Math.pow', () => {
    expect(emitJS(parse('x^5'), plain)).toBe('(x * ((x * x) * (x * x)))');
    expect(emitJS(parse('x^-2'), plain)).toBe('(1 / (x * x))');
    expect(emitJS(parse('x^2.5'), plain)).toBe('Math.pow(x, 2.5)');
  });
});

describe('emitWGSL golden output', () => {
  it("select(c, a, b) uses WGSL's (false, true, condition) order", () => {
    expect(wgsl('select(x, y, z)')).toBe('select(z, y, x != 0.0)');
  });

  it('step(x) is a select on x >= 0', () => {
    expect(wgsl('step(x)')).toBe('select(0.0, 1.0, x >= 0.0)');
    expect(wgsl('step(x - y)*2')).toBe('(select(0.0, 1.0, (x - y) >= 0.0) * 2.0)');
    // The shape every abs/min/max derivative has: one comparison, no 1.0/0.0 materialized.
    expect(wgsl('select(step(x), 1, -1)')).toBe('select((-1.0), 1.0, x >= 0.0)');
  });

  it('literals always have a decimal point or exponent, and are valid f32', () => {
    expect(wgsl('2*x')).toBe('(2.0 * x)');
    expect(wgsl('x + 1e-3')).toBe('(x + 0.001)');
    expect(wgsl('x*1e21')).toBe('(x * 1e+21)');
    expect(wgsl('x - 0.1')).toBe('(x - 0.1)');
    expect(wgsl('x * -3')).toBe('(x * (-3.0))');
    expect(wgsl('x * 3.4028234663852886e38')).toBe('(x * 3.4028234663852886e+38)');
    expect(wgsl('x * 1e-50')).toBe('(x * 0.0)');
    for (const code of [wgsl('4*x^12 - 6*x^6 + 100000*y - 12345678912*z + 0.5e-7'), WGSL_PRELUDE]) {
      for (const lit of literals(code)) expect(lit, code).toMatch(/[.eE]/);
    }
  });

  it('rejects constants that are not finite in f32 instead of emitting a shader that fails to compile', () => {
    expect(() => wgsl('x * 1e300')).toThrow(ValidationError);
    expect(() => wgsl('x * 1e39')).toThrow(/float32/);
    expect(() => wgsl('x + 1/0')).toThrow(/constant subexpression '1\/0'/);
    expect(() => wgsl('x + log(-1)')).toThrow(ValidationError);
  });

  it('folds variable-free subtrees to a literal (WGSL would const-evaluate them)', () => {
    expect(wgsl('x * (1/3)')).toBe('(x * 0.33333334)');
  });

  it('builtins by name, erf via the prelude, pow only for real exponents', () => {
    expect(wgsl('sqrt(x) + exp(y)')).toBe('(sqrt(x) + exp(y))');
    expect(wgsl('min(x, y) * max(abs(x), floor(ceil(y)))')).toBe('(min(x, y) * max(abs(x), floor(ceil(y))))');
    expect(wgsl('log(x) + tanh(asin(x))')).toBe('(log(x) + tanh(asin(x)))');
    expect(wgsl('erf(x) - erfc(r)')).toBe('(br_erf(x) - br_erfc(r))');
    expect(wgsl('x^1.5')).toBe('pow(x, 1.5)');
    expect(wgsl('x^y')).toBe('pow(x, y)');
    expect(wgsl('x^3')).toBe('(x * (x * x))');
    expect(wgsl('-x^2')).toBe('(-(x * x))');
    expect(() => emitWGSL({ op: 'powi', a: { op: 'var', name: 'x' }, n: 1000 }, plain)).toThrow(/buildProgram/);
  });

  it('programToWGSL declares temps with let and maps only non-temp names', () => {
    const e = simplify(parse('(x/r)^12 - (x/r)^6'));
    const p = buildProgram([e, differentiate(e, 'r')]);
    const out = programToWGSL(p, { name: (v) => `p.${v}` });
    expect(out.statements[0]).toBe('let _t0 = (p.x / p.r);');
    for (const s of out.statements) expect(s).toMatch(/^let _t\d+ = .*;$/);
    const all = [...out.statements, ...out.outputs].join('\n');
    expect(all).not.toContain('pow(');
    expect(all).not.toMatch(/p\._t/);
  });

  it('WGSL_PRELUDE defines br_erf and br_erfc with f32 signatures and balanced braces', () => {
    expect(WGSL_PRELUDE).toContain('fn br_erf(x: f32) -> f32 {');
    expect(WGSL_PRELUDE).toContain('fn br_erfc(x: f32) -> f32 {');
    expect(WGSL_PRELUDE.split('{').length).toBe(WGSL_PRELUDE.split('}').length);
    expect(WGSL_PRELUDE).not.toMatch(/\b(const|Math)\b/);
  });

  it('WGSL_PRELUDE computes erf/erfc: run its text (after a mechanical WGSL -> JS rewrite)', () => {
    const js = WGSL_PRELUDE.replace(/fn (\w+)\((\w+): f32\) -> f32/g, 'function $1($2)')
      .replace(/var (\w+): f32;/g, 'let $1;')
      .replace(/\b(var|let) /g, 'let ');
    const [werf, werfc] = new Function(
      `const trunc = Math.trunc, exp = Math.exp, abs = Math.abs, select = (f, t, c) => (c ? t : f);\n${js}\nreturn [br_erf, br_erfc];`,
    )() as ((x: number) => number)[];
    // Coefficients are rounded to f32 in the text: agreement to f32 precision.
    for (const x of GRID) {
      expect(Math.abs(werf!(x) - erf(x))).toBeLessThanOrEqual(2e-7 * Math.abs(erf(x)) + 1e-300);
      expect(Math.abs(werfc!(x) - erfc(x))).toBeLessThanOrEqual(2e-7 * erfc(x));
    }
  });
});

describe('emitC', () => {
  it('float: f-suffixed functions and literals; double: plain', () => {
    const e = parse('sqrt(abs(x)) + min(x, 2)*erfc(y) - x^1.5 + step(z)');
    expect(emitC(e, { ...plain, float: 'float' })).toBe(
      '(((sqrtf(fabsf(x)) + (fminf(x, 2.0f) * erfcf(y))) - powf(x, 1.5f)) + (z >= 0.0f ? 1.0f : 0.0f))',
    );
    expect(emitC(e, { ...plain, float: 'double' })).toBe(
      '(((sqrt(fabs(x)) + (fmin(x, 2.0) * erfc(y))) - pow(x, 1.5)) + (z >= 0.0 ? 1.0 : 0.0))',
    );
    expect(emitC(parse('select(x, y, -1e-3)'), { ...plain, float: 'float' })).toBe('(x != 0.0f ? y : (-0.001f))');
    expect(() => emitC(parse('x*1e300'), { ...plain, float: 'float' })).toThrow(ValidationError);
  });

  const cc = (() => {
    try {
      execFileSync('cc', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!cc)('programToC compiles with cc and matches evaluate (double)', () => {
    const exprs: Expr[] = [
      '4*y*((z/r)^12 - (z/r)^6)',
      '138.935*x*erfc(0.3*r)/r',
      'select(step(x - 1), sqrt(abs(x)), min(x, r)^-3) + max(y, z)',
      'tanh(x)*cosh(r) - sinh(x)/exp(r) + log(r)*atan(x) + asin(0.5*tanh(x)) - acos(0.3) + floor(3*x) + ceil(r) + tan(x) + r^y',
    ].map((s) => simplify(parse(s)));
    const all = [...exprs, ...exprs.map((e) => differentiate(e, 'r'))];
    const p = programToC(buildProgram(all), { name: (v) => v, float: 'double' });
    const pts = [
      [0.7, 1.1, 0.9, 1.3],
      [-1.2, 0.4, 1.0, 2.2],
      [2.5, 2.0, 0.5, 0.95],
    ];
    const src = [
      '#include <math.h>',
      '#include <stdio.h>',
      'static void f(double x, double y, double z, double r) {',
      ...p.statements.map((s) => `  ${s}`),
      ...p.outputs.map((o) => `  printf("%.17g\\n", (double)${o});`),
      '}',
      'int main(void) {',
      ...pts.map((q) => `  f(${q.join(', ')});`),
      '  return 0;',
      '}',
    ].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'br-expr-'));
    try {
      writeFileSync(join(dir, 'p.c'), src);
      execFileSync('cc', ['-O1', '-o', join(dir, 'p'), join(dir, 'p.c'), '-lm']);
      const lines = execFileSync(join(dir, 'p'), { encoding: 'utf8' }).trim().split('\n').map(Number);
      expect(lines).toHaveLength(pts.length * all.length);
      pts.forEach(([x, y, z, r], i) => {
        all.forEach((e, k) => {
          const want = evaluate(e, { x: x!, y: y!, z: z!, r: r! });
          const got = lines[i * all.length + k]!;
          expect(Math.abs(got - want), `${k} at ${i}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
        });
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
