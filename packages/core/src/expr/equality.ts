import type { Expr } from './ast.js';

/**
 * Structural equality. Numbers compare with Object.is, so 0 and −0 differ (1/x tells them apart)
 * and the simplifier never merges them by accident.
 */
export function exprEquals(a: Expr, b: Expr): boolean {
  if (a === b) return true;
  switch (a.op) {
    case 'num':
      return b.op === 'num' && Object.is(a.value, b.value);
    case 'var':
      return b.op === 'var' && a.name === b.name;
    case 'neg':
      return b.op === 'neg' && exprEquals(a.a, b.a);
    case 'powi':
      return b.op === 'powi' && a.n === b.n && exprEquals(a.a, b.a);
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
    case 'pow':
      return b.op === a.op && exprEquals(a.a, (b as typeof a).a) && exprEquals(a.b, (b as typeof a).b);
    case 'call':
      return b.op === 'call' && a.fn === b.fn && a.args.length === b.args.length && a.args.every((x, i) => exprEquals(x, b.args[i]!));
  }
}

/** Every variable name the tree mentions. */
export function freeVariables(e: Expr): Set<string> {
  const out = new Set<string>();
  const visit = (x: Expr): void => {
    switch (x.op) {
      case 'num':
        return;
      case 'var':
        out.add(x.name);
        return;
      case 'neg':
      case 'powi':
        visit(x.a);
        return;
      case 'add':
      case 'sub':
      case 'mul':
      case 'div':
      case 'pow':
        visit(x.a);
        visit(x.b);
        return;
      case 'call':
        x.args.forEach(visit);
        return;
    }
  };
  visit(e);
  return out;
}
