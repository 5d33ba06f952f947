import { describe, expect, it } from 'vitest';
import { FUNCTIONS, differentiate, evaluate, exprEquals, freeVariables, parseExpression, simplify, type Expr } from '../src/index.js';

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const parse = (s: string, variables: string[]) => parseExpression(s, { variables, field: 'f' });

/** Central difference with a step scaled to x; error O(h²). */
function numericDerivative(e: Expr, v: string, env: Record<string, number>): number {
  const h = 1e-5 * Math.max(1, Math.abs(env[v]!));
  const f = (x: number) => evaluate(e, { ...env, [v]: x });
  return (f(env[v]! + h) - f(env[v]! - h)) / (2 * h);
}

function checkDerivative(
  source: string,
  variables: string[],
  sample: (rand: () => number) => Record<string, number>,
  wrt: string,
  seed = 1,
  points = 40,
) {
  const e = parse(source, variables);
  const d = differentiate(e, wrt);
  const rand = rng(seed);
  for (let i = 0; i < points; i++) {
    const env = sample(rand);
    const exact = evaluate(d, env);
    const approx = numericDerivative(e, wrt, env);
    const scale = Math.max(1, Math.abs(exact), Math.abs(approx));
    expect(Math.abs(exact - approx) / scale, `${source} at ${JSON.stringify(env)}`).toBeLessThan(1e-6);
  }
  return d;
}

const uniform = (rand: () => number, lo: number, hi: number) => lo + (hi - lo) * rand();

describe('differentiate: every function against finite differences', () => {
  const cases: [string, number, number][] = [
    ['sqrt(x)', 0.1, 5],
    ['exp(x)', -3, 3],
    ['log(x)', 0.1, 10],
    ['sin(x)', -5, 5],
    ['cos(x)', -5, 5],
    ['tan(x)', -1.2, 1.2],
    ['asin(x)', -0.9, 0.9],
    ['acos(x)', -0.9, 0.9],
    ['atan(x)', -5, 5],
    ['sinh(x)', -3, 3],
    ['cosh(x)', -3, 3],
    ['tanh(x)', -3, 3],
    ['erf(x)', -3, 3],
    ['erfc(x)', -3, 3],
    ['abs(x)', -3, 3],
    ['x^3', -3, 3],
    ['x^-2', 0.5, 3],
    ['x^2.5', 0.1, 3],
    ['x^x', 0.2, 3],
    ['2^x', -3, 3],
    ['x * y + x / y - y / x', 0.5, 3],
    ['-x^2 + 3*x - 1', -3, 3],
    ['sin(x^2) * exp(-x)', -2, 2],
  ];
  it.each(cases)('%s', (src, lo, hi) => {
    checkDerivative(src, ['x', 'y'], (rand) => ({ x: uniform(rand, lo, hi), y: uniform(rand, 0.5, 2) }), 'x');
  });

  it('inner functions get the chain rule (every unary function of 0.3*x + 0.1)', () => {
    for (const fn of Object.keys(FUNCTIONS)) {
      if (FUNCTIONS[fn as keyof typeof FUNCTIONS] !== 1 || ['step', 'floor', 'ceil', 'abs'].includes(fn)) continue;
      checkDerivative(`${fn}(0.3*x + 0.1)`, ['x'], (rand) => ({ x: uniform(rand, 0.2, 2) }), 'x');
    }
  });

  it('min, max, select, abs away from their kinks', () => {
    const s = (rand: () => number) => {
      let x = uniform(rand, -3, 3);
      let y = uniform(rand, -3, 3);
      if (Math.abs(x - y) < 0.01) y += 0.1;
      if (Math.abs(x) < 0.01) x += 0.1;
      return { x, y };
    };
    checkDerivative('min(x^2, y*x)', ['x', 'y'], s, 'x');
    checkDerivative('max(x^2, y*x)', ['x', 'y'], s, 'x');
    checkDerivative('min(x^2, y*x)', ['x', 'y'], s, 'y');
    checkDerivative('select(step(x), x^2, sin(x))', ['x', 'y'], s, 'x');
    checkDerivative('abs(x*y)', ['x', 'y'], s, 'x');
  });

  it('piecewise-constant functions have zero derivative', () => {
    for (const fn of ['step', 'floor', 'ceil']) {
      expect(differentiate(parse(`${fn}(x*3)`, ['x']), 'x')).toEqual({ op: 'num', value: 0 });
    }
  });

  it('d/dx of something without x is 0; d/dx x is 1', () => {
    expect(differentiate(parse('y^2 + sin(y)', ['x', 'y']), 'x')).toEqual({ op: 'num', value: 0 });
    expect(differentiate(parse('x', ['x']), 'x')).toEqual({ op: 'num', value: 1 });
    expect(differentiate(parse('3*x', ['x']), 'x')).toEqual({ op: 'num', value: 3 });
  });

  it('the result is simplified (a fixed point of simplify) and uses powi for x^n', () => {
    const d = differentiate(parse('x^12', ['x']), 'x');
    expect(d).toEqual({ op: 'mul', a: { op: 'num', value: 12 }, b: { op: 'powi', a: { op: 'var', name: 'x' }, n: 11 } });
    expect(exprEquals(simplify(d), d)).toBe(true);
  });
});

describe('differentiate: real potentials', () => {
  const r = (rand: () => number) => ({ r: uniform(rand, 0.85, 2.5) });

  it('Lennard-Jones with definitions (Lorentz-Berthelot)', () => {
    const src = '4*eps*((sig/r)^12 - (sig/r)^6); sig = 0.5*(sigma1+sigma2); eps = sqrt(epsilon1*epsilon2)';
    const vars = ['r', 'sigma1', 'sigma2', 'epsilon1', 'epsilon2'];
    const d = checkDerivative(
      src,
      vars,
      (rand) => ({
        r: uniform(rand, 0.85, 2.5),
        sigma1: uniform(rand, 0.8, 1.2),
        sigma2: uniform(rand, 0.8, 1.2),
        epsilon1: uniform(rand, 0.5, 2),
        epsilon2: uniform(rand, 0.5, 2),
      }),
      'r',
      7,
    );
    expect(freeVariables(d)).toEqual(new Set(vars));
    // dU/dr at the minimum r = 2^(1/6) sigma vanishes.
    const env = { r: Math.pow(2, 1 / 6), sigma1: 1, sigma2: 1, epsilon1: 1, epsilon2: 1 };
    expect(Math.abs(evaluate(d, env))).toBeLessThan(1e-12);
  });

  it('Coulomb', () => {
    const d = checkDerivative(
      'k*q1*q2/r',
      ['r', 'k', 'q1', 'q2'],
      (rand) => ({
        r: uniform(rand, 0.5, 3),
        k: 138.9,
        q1: uniform(rand, -1, 1),
        q2: uniform(rand, -1, 1),
      }),
      'r',
      2,
    );
    expect(evaluate(d, { r: 2, k: 1, q1: 1, q2: 1 })).toBeCloseTo(-0.25, 15);
  });

  it('harmonic bond', () => {
    const d = checkDerivative('0.5*k*(r - r0)^2', ['r', 'k', 'r0'], (rand) => ({ ...r(rand), k: 100, r0: 1 }), 'r', 3);
    expect(evaluate(d, { r: 1.5, k: 100, r0: 1 })).toBeCloseTo(50, 12);
  });

  it('Morse', () => {
    checkDerivative('D*(1 - exp(-a*(r - re)))^2', ['r', 'D', 'a', 're'], (rand) => ({ ...r(rand), D: 4.7, a: 1.9, re: 1.1 }), 'r', 4);
  });

  it('erfc-damped Coulomb (Ewald real space)', () => {
    checkDerivative(
      '138.935*q1*q2*erfc(alpha*r)/r',
      ['r', 'q1', 'q2', 'alpha'],
      (rand) => ({
        ...r(rand),
        q1: 1,
        q2: -1,
        alpha: uniform(rand, 0.5, 3),
      }),
      'r',
      5,
    );
  });

  it('external harmonic trap, gradient in each coordinate', () => {
    for (const v of ['x', 'y', 'z']) {
      const d = checkDerivative(
        '0.5*k*(x^2 + y^2 + z^2)',
        ['x', 'y', 'z', 'k'],
        (rand) => ({
          x: uniform(rand, -2, 2),
          y: uniform(rand, -2, 2),
          z: uniform(rand, -2, 2),
          k: 2,
        }),
        v,
        6,
      );
      expect(evaluate(d, { x: 1, y: 2, z: 3, k: 2 })).toBe({ x: 1, y: 2, z: 3 }[v]! * 2);
    }
  });
});
