import type { Expr } from './ast.js';

// Binding strength, loosest first, matching the parser: + − < * / < unary − < ^ < atoms.
const ADD = 1;
const MUL = 2;
const UNARY = 3;
const POW = 4;
const ATOM = 5;

/**
 * Canonical text that parses back to the same tree: parseExpression(formatExpression(e)) is
 * exprEquals to e. Parentheses appear only where the grammar needs them (plus around negative
 * numbers and exponents that are not atoms, for readability). Two trees have no text of their own
 * and print as their nearest equivalent: a `pow` whose exponent is a constant integer reads back
 * as `powi`, and a non-finite constant prints as `(1/0)`, `(-1/0)` or `(0/0)`.
 */
export function formatExpression(e: Expr): string {
  return fmt(e).text;
}

interface Printed {
  readonly text: string;
  readonly prec: number;
}

function number(v: number): Printed {
  if (Number.isNaN(v)) return { text: '(0/0)', prec: ATOM };
  if (v === Infinity) return { text: '(1/0)', prec: ATOM };
  if (v === -Infinity) return { text: '(-1/0)', prec: ATOM };
  // String() is the shortest text that reads back to the same double; −0 needs its sign spelt out.
  if (v < 0 || Object.is(v, -0)) return { text: `-${String(-v)}`, prec: UNARY };
  return { text: String(v), prec: ATOM };
}

const paren = (p: Printed, needed: boolean): string => (needed ? `(${p.text})` : p.text);

function fmt(e: Expr): Printed {
  switch (e.op) {
    case 'num':
      return number(e.value);
    case 'var':
      return { text: e.name, prec: ATOM };
    case 'neg': {
      const a = fmt(e.a);
      // `-2` would read back as the number −2 and `--x` looks like a typo: parenthesize those.
      const needs = a.prec < UNARY || e.a.op === 'num' || e.a.op === 'neg';
      return { text: `-${paren(a, needs)}`, prec: UNARY };
    }
    case 'add':
    case 'sub': {
      const a = fmt(e.a);
      const b = fmt(e.b);
      const op = e.op === 'add' ? '+' : '-';
      // Left-associative: the right operand must bind tighter; negative operands read better in parens.
      return { text: `${paren(a, a.prec < ADD)} ${op} ${paren(b, b.prec <= ADD || b.prec === UNARY)}`, prec: ADD };
    }
    case 'mul':
    case 'div': {
      const a = fmt(e.a);
      const b = fmt(e.b);
      const op = e.op === 'mul' ? '*' : '/';
      return { text: `${paren(a, a.prec < MUL)}${op}${paren(b, b.prec <= UNARY)}`, prec: MUL };
    }
    case 'pow': {
      const a = fmt(e.a);
      const b = fmt(e.b);
      // Right-associative: the base needs parentheses for anything looser than an atom.
      return { text: `${paren(a, a.prec < ATOM)}^${paren(b, b.prec < ATOM)}`, prec: POW };
    }
    case 'powi': {
      const a = fmt(e.a);
      const b = number(e.n);
      return { text: `${paren(a, a.prec < ATOM)}^${paren(b, b.prec < ATOM)}`, prec: POW };
    }
    case 'call':
      return { text: `${e.fn}(${e.args.map((x) => fmt(x).text).join(', ')})`, prec: ATOM };
  }
}
