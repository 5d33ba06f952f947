import type { Expr } from './ast.js';
import { S, simplify } from './simplify.js';

const ZERO: Expr = { op: 'num', value: 0 };
const ONE: Expr = { op: 'num', value: 1 };
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const n = (value: number): Expr => ({ op: 'num', value });
const isZero = (e: Expr): boolean => e.op === 'num' && e.value === 0;

/**
 * Symbolic d e / d variable, simplified. Forces are −∇U of the user's energy, so energy and force
 * come from one formula and always agree. The result is built through the simplifier's smart
 * constructors as it goes, which keeps derivatives of long potentials small (a zero derivative
 * of a subtree prunes the whole product-rule branch).
 */
export function differentiate(e: Expr, variable: string): Expr {
  const memo = new Map<Expr, Expr>();
  const d = (x: Expr): Expr => {
    // Definitions are substituted by reference, so a subtree often appears many times.
    const hit = memo.get(x);
    if (hit) return hit;
    const r = derive(x, d, variable);
    memo.set(x, r);
    return r;
  };
  return d(simplify(e));
}

function derive(e: Expr, d: (x: Expr) => Expr, variable: string): Expr {
  switch (e.op) {
    case 'num':
      return ZERO;
    case 'var':
      return e.name === variable ? ONE : ZERO;
    case 'neg':
      return S.neg(d(e.a));
    case 'add':
      return S.add(d(e.a), d(e.b));
    case 'sub':
      return S.sub(d(e.a), d(e.b));
    case 'mul': {
      const da = d(e.a);
      const db = d(e.b);
      return S.add(S.mul(da, e.b), S.mul(e.a, db));
    }
    case 'div': {
      const da = d(e.a);
      const db = d(e.b);
      if (isZero(db)) return S.div(da, e.b);
      // (a/b)' = a'/b − a·b'/b²
      return S.sub(S.div(da, e.b), S.div(S.mul(e.a, db), S.powi(e.b, 2)));
    }
    case 'pow': {
      const da = d(e.a);
      const db = d(e.b);
      if (isZero(db)) {
        // Constant exponent: b·a^(b−1)·a', which (unlike the log form) is defined for a < 0.
        return S.mul(S.mul(e.b, S.pow(e.a, S.sub(e.b, ONE))), da);
      }
      // (a^b)' = a^b · (b'·log(a) + b·a'/a)
      return S.mul(e, S.add(S.mul(db, S.call('log', [e.a])), S.div(S.mul(e.b, da), e.a)));
    }
    case 'powi':
      return S.mul(S.mul(n(e.n), S.powi(e.a, e.n - 1)), d(e.a));
    case 'call':
      return deriveCall(e, d);
  }
}

function deriveCall(e: Extract<Expr, { op: 'call' }>, d: (x: Expr) => Expr): Expr {
  const a = e.args[0]!;
  // Chain rule for one-argument functions: f'(a)·a'.
  const chain = (outer: () => Expr): Expr => {
    const da = d(a);
    return isZero(da) ? ZERO : S.mul(outer(), da);
  };
  const oneMinusSquare = (x: Expr) => S.sub(ONE, S.powi(x, 2));
  switch (e.fn) {
    case 'sqrt':
      return chain(() => S.div(n(0.5), e));
    case 'exp':
      return chain(() => e);
    case 'log':
      return chain(() => S.div(ONE, a));
    case 'sin':
      return chain(() => S.call('cos', [a]));
    case 'cos':
      return chain(() => S.neg(S.call('sin', [a])));
    case 'tan':
      return chain(() => S.add(ONE, S.powi(e, 2)));
    case 'asin':
      return chain(() => S.div(ONE, S.call('sqrt', [oneMinusSquare(a)])));
    case 'acos':
      return chain(() => S.neg(S.div(ONE, S.call('sqrt', [oneMinusSquare(a)]))));
    case 'atan':
      return chain(() => S.div(ONE, S.add(ONE, S.powi(a, 2))));
    case 'sinh':
      return chain(() => S.call('cosh', [a]));
    case 'cosh':
      return chain(() => S.call('sinh', [a]));
    case 'tanh':
      return chain(() => oneMinusSquare(e));
    case 'erf':
      return chain(() => S.mul(n(TWO_OVER_SQRT_PI), S.call('exp', [S.neg(S.powi(a, 2))])));
    case 'erfc':
      return chain(() => S.mul(n(-TWO_OVER_SQRT_PI), S.call('exp', [S.neg(S.powi(a, 2))])));
    case 'abs':
      // Sign of a, with abs'(0) taken as 1 (any subgradient would do; this one is branch-free).
      return chain(() => S.call('select', [S.call('step', [a]), ONE, n(-1)]));
    case 'step':
    case 'floor':
    case 'ceil':
      // Piecewise constant: zero almost everywhere (the jumps carry no force, as in Lepton).
      return ZERO;
    case 'min': {
      const b = e.args[1]!;
      return S.call('select', [S.call('step', [S.sub(b, a)]), d(a), d(b)]);
    }
    case 'max': {
      const b = e.args[1]!;
      return S.call('select', [S.call('step', [S.sub(a, b)]), d(a), d(b)]);
    }
    case 'select': {
      const [c, x, y] = e.args as [Expr, Expr, Expr];
      return S.call('select', [c, d(x), d(y)]);
    }
  }
}
