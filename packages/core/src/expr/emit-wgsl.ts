import { ValidationError } from '../errors.js';
import { exprChildren, type Expr } from './ast.js';
import { evaluate } from './evaluate.js';
import { formatExpression } from './format.js';
import { emitWith, float32Literal, type EmitOptions, type Target } from './emit-core.js';
import { programNames } from './emit-js.js';
import { ERF_A, ERF_B, ERF_C, ERF_D, ERF_P, ERF_Q, ERF_THRESHOLD, ERFC_ZERO_BEYOND, INV_SQRT_PI } from './erf.js';
import type { Program } from './program.js';

const lit = (v: number) => float32Literal(v, 'WGSL');

const WGSL: Target = {
  literal: lit,
  call(fn, args) {
    switch (fn) {
      // WGSL's select(f, t, cond) takes the false value first.
      case 'select':
        return `select(${args[2]}, ${args[1]}, ${args[0]} != 0.0)`;
      case 'step':
        return `select(0.0, 1.0, ${args[0]} >= 0.0)`;
      case 'erf':
        return `br_erf(${args[0]})`;
      case 'erfc':
        return `br_erfc(${args[0]})`;
      default:
        // sqrt exp log sin cos tan asin acos atan sinh cosh tanh abs floor ceil min max: WGSL builtins.
        return `${fn}(${args.join(', ')})`;
    }
  },
  pow: (a, b) => `pow(${a}, ${b})`,
  selectNonNegative: (c, a, b) => `select(${b}, ${a}, ${c} >= 0.0)`,
  largePowi(_a, n) {
    // WGSL's pow is undefined for a negative base, so an integer power must be multiplied out.
    throw new ValidationError('expression', `integer power ${n} is too large to expand inline; use buildProgram`);
  },
};

/**
 * f32 WGSL for one tree; erf/erfc need WGSL_PRELUDE in the module. WGSL evaluates constant
 * expressions when the shader is created and rejects any that overflow or divide by zero, so
 * every variable-free subtree is folded here (in float64) to one literal, and a constant with no
 * finite f32 value is a ValidationError instead of a shader that fails to compile.
 */
export function emitWGSL(e: Expr, options: EmitOptions): string {
  return emitWith(foldConstants(e), options, WGSL);
}

/** Bottom-up: a node whose children all folded to numbers folds too (one pass, linear). */
function foldConstants(e: Expr): Expr {
  let folded: Expr;
  switch (e.op) {
    case 'num':
    case 'var':
      return e;
    case 'neg':
      folded = { op: 'neg', a: foldConstants(e.a) };
      break;
    case 'powi':
      folded = { op: 'powi', a: foldConstants(e.a), n: e.n };
      break;
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
    case 'pow':
      folded = { op: e.op, a: foldConstants(e.a), b: foldConstants(e.b) };
      break;
    case 'call':
      folded = { op: 'call', fn: e.fn, args: e.args.map(foldConstants) };
      break;
  }
  if (!exprChildren(folded).every((c) => c.op === 'num')) return folded;
  const value = evaluate(folded, {});
  if (!Number.isFinite(Math.fround(value))) {
    throw new ValidationError(
      'expression',
      `constant subexpression '${formatExpression(e)}' is ${value} in f32; WGSL rejects non-finite constants`,
    );
  }
  return { op: 'num', value };
}

/** `let _t0 = ...;` statements and the output expressions. */
export function programToWGSL(p: Program, options: EmitOptions): { statements: string[]; outputs: string[] } {
  const names = programNames(p, options);
  return {
    statements: p.temps.map((t) => `let ${t.name} = ${emitWGSL(t.expr, names)};`),
    outputs: p.outputs.map((o) => emitWGSL(o, names)),
  };
}

/** Horner steps exactly as erf.ts loops them: xnum = (xnum + c[i]) * t, xden = (xden + d[i]) * t. */
function horner(num: readonly number[], den: readonly number[], steps: number, t: string, indent: string): string {
  const lines: string[] = [];
  for (let i = 0; i < steps; i++) {
    lines.push(`${indent}xnum = (xnum + ${lit(num[i]!)}) * ${t};`);
    lines.push(`${indent}xden = (xden + ${lit(den[i]!)}) * ${t};`);
  }
  return lines.join('\n');
}

/** WGSL text of erf.ts's algorithm (Cody), in f32. Defines `br_erf(x: f32) -> f32` and `br_erfc`. */
export const WGSL_PRELUDE = `fn br_erfc_tail(y: f32) -> f32 {
  if (y >= ${lit(ERFC_ZERO_BEYOND)}) {
    return 0.0;
  }
  var r: f32;
  if (y <= 4.0) {
    var xnum = ${lit(ERF_C[8])} * y;
    var xden = y;
${horner(ERF_C, ERF_D, 7, 'y', '    ')}
    r = (xnum + ${lit(ERF_C[7])}) / (xden + ${lit(ERF_D[7])});
  } else {
    let z = 1.0 / (y * y);
    var xnum = ${lit(ERF_P[5])} * z;
    var xden = z;
${horner(ERF_P, ERF_Q, 4, 'z', '    ')}
    r = (z * (xnum + ${lit(ERF_P[4])})) / (xden + ${lit(ERF_Q[4])});
    r = (${lit(INV_SQRT_PI)} - r) / y;
  }
  let ys = trunc(y * 16.0) / 16.0;
  let del = (y - ys) * (y + ys);
  return exp(-ys * ys) * exp(-del) * r;
}

fn br_erf_small(x: f32) -> f32 {
  let z = x * x;
  var xnum = ${lit(ERF_A[4])} * z;
  var xden = z;
${horner(ERF_A, ERF_B, 3, 'z', '  ')}
  return (x * (xnum + ${lit(ERF_A[3])})) / (xden + ${lit(ERF_B[3])});
}

fn br_erf(x: f32) -> f32 {
  let y = abs(x);
  if (y <= ${lit(ERF_THRESHOLD)}) {
    return br_erf_small(x);
  }
  let r = 0.5 - br_erfc_tail(y) + 0.5;
  return select(r, -r, x < 0.0);
}

fn br_erfc(x: f32) -> f32 {
  let y = abs(x);
  if (y <= ${lit(ERF_THRESHOLD)}) {
    return 1.0 - br_erf_small(x);
  }
  let r = br_erfc_tail(y);
  return select(r, 2.0 - r, x < 0.0);
}
`;
