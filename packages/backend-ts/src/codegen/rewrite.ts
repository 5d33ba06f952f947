import { simplify, unreachable, type Expr } from '@brokenrecord/core';

/**
 * Loops over pairs and bonds have r² = dx² + dy² + dz² at hand, not r. A tree that reads r only
 * through even powers (Lennard-Jones' fScale is 24·r⁻⁸ − 48·r⁻¹⁴) is rewritten over `r2` and
 * `ir2` = 1/r², so the generated loop needs neither the square root nor a division per power:
 * one division per pair. Subtrees that cannot be written so (exp(−r), odd powers) keep `r`.
 * The result is the same function of r (rounded differently, within a few ulps).
 */
export const R = 'r';
/** Not identifiers of the language, so no user name (a column `ir` read as `ir2`) can collide. */
export const R2 = '#r2';
export const IR2 = '#ir2';

/** A sum of monomials coef·r^pow with r-free coefficients. */
type Poly = { coef: Expr; pow: number }[];

const MAX_TERMS = 16;

const one: Expr = { op: 'num', value: 1 };

function readsR(e: Expr, memo: WeakMap<Expr, boolean>): boolean {
  const hit = memo.get(e);
  if (hit !== undefined) return hit;
  let result: boolean;
  switch (e.op) {
    case 'num':
      result = false;
      break;
    case 'var':
      result = e.name === R;
      break;
    case 'neg':
    case 'powi':
      result = readsR(e.a, memo);
      break;
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
    case 'pow':
      result = readsR(e.a, memo) || readsR(e.b, memo);
      break;
    case 'call':
      result = e.args.some((a) => readsR(a, memo));
      break;
    default:
      return unreachable(e, 'expression node');
  }
  memo.set(e, result);
  return result;
}

function evenPowerOfR(k: number): Expr {
  if (k === 0) return one;
  return k > 0 ? { op: 'powi', a: { op: 'var', name: R2 }, n: k } : { op: 'powi', a: { op: 'var', name: IR2 }, n: -k };
}

/**
 * `e` with every maximal subtree that is an even polynomial in r written over r2 and ir2. A call
 * whose argument becomes free of r (sqrt(r² + ε²)) counts as a coefficient, so the r² and 1/r that
 * the derivative of such a term carries cancel too.
 */
export function rewriteOverR2(e: Expr): Expr {
  const memo = new WeakMap<Expr, boolean>();
  // Trees share subtrees (substituted definitions): each node is analysed once.
  const polys = new Map<Expr, Poly | null>();
  const done = new Map<Expr, Expr>();
  const polynomial = (x: Expr): Poly | null => {
    let p = polys.get(x);
    if (p === undefined) {
      p = polynomialOf(x);
      polys.set(x, p);
    }
    return p;
  };
  const go = (x: Expr): Expr => {
    let y = done.get(x);
    if (y === undefined) {
      y = rewrite(x);
      done.set(x, y);
    }
    return y;
  };
  const polynomialOf = (x: Expr): Poly | null => {
    if (!readsR(x, memo)) return [{ coef: x, pow: 0 }];
    switch (x.op) {
      case 'num':
        return [{ coef: x, pow: 0 }];
      case 'var':
        return [{ coef: one, pow: 1 }];
      case 'neg': {
        const a = polynomial(x.a);
        return a && a.map((m) => ({ coef: { op: 'neg', a: m.coef } as Expr, pow: m.pow }));
      }
      case 'add':
      case 'sub': {
        const a = polynomial(x.a);
        const b = polynomial(x.b);
        if (!a || !b || a.length + b.length > MAX_TERMS) return null;
        const bs = x.op === 'add' ? b : b.map((m) => ({ coef: { op: 'neg', a: m.coef } as Expr, pow: m.pow }));
        return [...a, ...bs];
      }
      case 'mul': {
        const a = polynomial(x.a);
        const b = polynomial(x.b);
        if (!a || !b || a.length * b.length > MAX_TERMS) return null;
        return a.flatMap((p) => b.map((q) => ({ coef: { op: 'mul', a: p.coef, b: q.coef } as Expr, pow: p.pow + q.pow })));
      }
      case 'div': {
        const a = polynomial(x.a);
        const b = polynomial(x.b);
        if (!a || !b || b.length !== 1) return null;
        const d = b[0]!;
        return a.map((p) => ({ coef: { op: 'div', a: p.coef, b: d.coef } as Expr, pow: p.pow - d.pow }));
      }
      case 'powi': {
        const a = polynomial(x.a);
        if (!a || a.length !== 1) return null;
        const m = a[0]!;
        return [{ coef: { op: 'powi', a: m.coef, n: x.n }, pow: m.pow * x.n }];
      }
      case 'pow':
      case 'call': {
        const inner = go(x);
        return readsR(inner, memo) ? null : [{ coef: inner, pow: 0 }];
      }
      default:
        return unreachable(x, 'expression node');
    }
  };
  const rewrite = (x: Expr): Expr => {
    if (!readsR(x, memo)) return x;
    if (x.op === 'add' || x.op === 'sub' || x.op === 'mul' || x.op === 'div' || x.op === 'powi' || x.op === 'neg' || x.op === 'var') {
      const p = polynomial(x);
      if (p && p.every((m) => m.pow % 2 === 0)) {
        return p
          .map((m): Expr => (m.pow === 0 ? m.coef : { op: 'mul', a: m.coef, b: evenPowerOfR(m.pow / 2) }))
          .reduce((acc, term): Expr => ({ op: 'add', a: acc, b: term }));
      }
    }
    switch (x.op) {
      case 'num':
      case 'var':
        return x;
      case 'neg':
        return { op: 'neg', a: go(x.a) };
      case 'powi':
        return { op: 'powi', a: go(x.a), n: x.n };
      case 'add':
      case 'sub':
      case 'mul':
      case 'div':
      case 'pow':
        return { op: x.op, a: go(x.a), b: go(x.b) };
      case 'call':
        return { op: 'call', fn: x.fn, args: x.args.map(go) };
      default:
        return unreachable(x, 'expression node');
    }
  };
  return simplify(go(e));
}
