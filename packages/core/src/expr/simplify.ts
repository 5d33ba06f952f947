import { isPowiExponent, type Expr, type FunctionName } from './ast.js';
import { exprEquals, freeVariables } from './equality.js';
import { applyFunction, powInt } from './evaluate.js';

export { exprEquals, freeVariables };

/**
 * Algebraic simplification: constant folding (every function, with `evaluate`'s float64 semantics),
 * identities (x+0, x*1, x*0 → 0, x/1, −−x, x−x → 0, x^0, x^1, (x^a)^b, x·x → x²), signs pulled
 * outwards and constants moved to the left of products so that equal subtrees look equal and get
 * shared. A fold whose result is not finite (1/0, log(−1)) is left unfolded, so NaN and Infinity
 * constants never appear. Bottom-up, and every rule builds its result through the same smart
 * constructors, so the output is a fixed point: simplify(simplify(e)) equals simplify(e).
 */
export function simplify(e: Expr): Expr {
  // Substituted definitions share subtrees by reference: simplify each shared object once, and
  // return shared results, so the work (and the output) stays proportional to the DAG.
  const memo = new Map<Expr, Expr>();
  const go = (x: Expr): Expr => {
    const hit = memo.get(x);
    if (hit) return hit;
    const r = simplifyNode(x, go);
    memo.set(x, r);
    return r;
  };
  return go(e);
}

function simplifyNode(e: Expr, go: (x: Expr) => Expr): Expr {
  switch (e.op) {
    case 'num':
    case 'var':
      return e;
    case 'neg':
      return S.neg(go(e.a));
    case 'add':
      return S.add(go(e.a), go(e.b));
    case 'sub':
      return S.sub(go(e.a), go(e.b));
    case 'mul':
      return S.mul(go(e.a), go(e.b));
    case 'div':
      return S.div(go(e.a), go(e.b));
    case 'pow':
      return S.pow(go(e.a), go(e.b));
    case 'powi':
      return S.powi(go(e.a), e.n);
    case 'call':
      return S.call(e.fn, e.args.map(go));
  }
}

/** Replaces variables (a number becomes a constant, an Expr is spliced in), then simplifies. */
export function substitute(e: Expr, values: Readonly<Record<string, number | Expr>>): Expr {
  const replace = (x: Expr): Expr => {
    switch (x.op) {
      case 'num':
        return x;
      case 'var': {
        if (!Object.prototype.hasOwnProperty.call(values, x.name)) return x;
        const v = values[x.name]!;
        return typeof v === 'number' ? { op: 'num', value: v } : v;
      }
      case 'neg':
        return { op: 'neg', a: replace(x.a) };
      case 'powi':
        return { op: 'powi', a: replace(x.a), n: x.n };
      case 'add':
      case 'sub':
      case 'mul':
      case 'div':
      case 'pow':
        return { op: x.op, a: replace(x.a), b: replace(x.b) };
      case 'call':
        return { op: 'call', fn: x.fn, args: x.args.map(replace) };
    }
  };
  return simplify(replace(e));
}

const num = (value: number): Expr => ({ op: 'num', value });
// Not a type guard on purpose: `isNum(a, 0)` being false says nothing about a's kind.
const isNum = (e: Expr, v: number): boolean => e.op === 'num' && e.value === v;
/** A folded constant, or undefined when folding would create NaN or Infinity. */
const fold = (v: number): Expr | undefined => (Number.isFinite(v) ? num(v) : undefined);

/** Base and integer exponent of a factor: x^n → (x, n), anything else → (e, 1). */
function powerOf(e: Expr): [Expr, number] {
  return e.op === 'powi' ? [e.a, e.n] : [e, 1];
}

/**
 * Smart constructors: each takes already simplified children and returns a simplified node.
 * Exported for the differentiator, which builds derivatives through them to keep them small.
 */
export const S = {
  neg(a: Expr): Expr {
    if (a.op === 'num') return num(-a.value);
    if (a.op === 'neg') return a.a;
    return { op: 'neg', a };
  },

  add(a: Expr, b: Expr): Expr {
    if (a.op === 'num' && b.op === 'num') {
      const f = fold(a.value + b.value);
      if (f) return f;
    }
    if (isNum(a, 0)) return b;
    if (isNum(b, 0)) return a;
    if (b.op === 'neg') return S.sub(a, b.a);
    if (b.op === 'num' && b.value < 0) return S.sub(a, num(-b.value));
    if (a.op === 'neg') return S.sub(b, a.a);
    return { op: 'add', a, b };
  },

  sub(a: Expr, b: Expr): Expr {
    if (a.op === 'num' && b.op === 'num') {
      const f = fold(a.value - b.value);
      if (f) return f;
    }
    if (isNum(b, 0)) return a;
    if (isNum(a, 0)) return S.neg(b);
    if (b.op === 'neg') return S.add(a, b.a);
    if (b.op === 'num' && b.value < 0) return S.add(a, num(-b.value));
    if (exprEquals(a, b)) return num(0);
    return { op: 'sub', a, b };
  },

  mul(a: Expr, b: Expr): Expr {
    if (a.op === 'num' && b.op === 'num') {
      const f = fold(a.value * b.value);
      if (f) return f;
    }
    if (isNum(a, 0) || isNum(b, 0)) return num(0);
    if (isNum(a, 1)) return b;
    if (isNum(b, 1)) return a;
    if (isNum(a, -1)) return S.neg(b);
    if (isNum(b, -1)) return S.neg(a);
    // Constants first: c*x, so c1*(c2*x) folds and equal products look alike.
    if (b.op === 'num' && a.op !== 'num') return S.mul(b, a);
    if (a.op === 'num' && b.op === 'mul' && b.a.op === 'num') {
      const f = fold(a.value * b.a.value);
      if (f) return S.mul(f, b.b);
    }
    if (a.op === 'num' && b.op === 'neg') return S.mul(num(-a.value), b.a);
    if (a.op === 'neg') return S.neg(S.mul(a.a, b));
    if (b.op === 'neg') return S.neg(S.mul(a, b.a));
    if (a.op !== 'num') {
      const [ba, na] = powerOf(a);
      const [bb, nb] = powerOf(b);
      if (exprEquals(ba, bb) && isPowiExponent(na + nb)) return S.powi(ba, na + nb);
    }
    return { op: 'mul', a, b };
  },

  div(a: Expr, b: Expr): Expr {
    if (a.op === 'num' && b.op === 'num') {
      const f = fold(a.value / b.value);
      if (f) return f;
    }
    if (isNum(b, 1)) return a;
    if (isNum(b, -1)) return S.neg(a);
    if (isNum(a, 0) && !isNum(b, 0)) return num(0);
    if (a.op === 'neg') return S.neg(S.div(a.a, b));
    if (b.op === 'neg') return S.neg(S.div(a, b.a));
    return { op: 'div', a, b };
  },

  pow(a: Expr, b: Expr): Expr {
    if (a.op === 'num' && b.op === 'num') {
      const f = fold(Math.pow(a.value, b.value));
      if (f) return f;
    }
    if (b.op === 'num' && isPowiExponent(b.value)) return S.powi(a, b.value + 0);
    return { op: 'pow', a, b };
  },

  powi(a: Expr, n: number): Expr {
    if (n === 0) return num(1);
    if (n === 1) return a;
    if (a.op === 'num') {
      const f = fold(powInt(a.value, n));
      if (f) return f;
    }
    if (a.op === 'powi' && isPowiExponent(a.n * n)) return S.powi(a.a, a.n * n);
    if (a.op === 'neg') return n % 2 === 0 ? S.powi(a.a, n) : S.neg(S.powi(a.a, n));
    return { op: 'powi', a, n };
  },

  call(fn: FunctionName, args: readonly Expr[]): Expr {
    if (args.every((x) => x.op === 'num')) {
      const f = fold(
        applyFunction(
          fn,
          args.map((x) => (x as { value: number }).value),
        ),
      );
      if (f) return f;
    }
    if (fn === 'select') {
      const [c, x, y] = args as [Expr, Expr, Expr];
      if (c.op === 'num') return c.value !== 0 ? x : y;
      if (exprEquals(x, y)) return x;
    }
    if (fn === 'abs' && args[0]!.op === 'neg') return S.call('abs', [args[0]!.a]);
    return { op: 'call', fn, args };
  },
};
