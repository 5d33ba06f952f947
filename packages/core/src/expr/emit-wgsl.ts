import { ValidationError } from '../errors.js';
import type { Expr } from './ast.js';
import { emitWith, float32Literal, type EmitOptions, type Target } from './emit-core.js';
import { programNames } from './emit-js.js';
import {
  ERF_A,
  ERF_B,
  ERF_C,
  ERF_D,
  ERF_P,
  ERF_Q,
  ERF_THRESHOLD,
  ERFC_ZERO_BEYOND,
  INV_SQRT_PI,
} from './erf.js';
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
  largePowi(_a, n) {
    // WGSL's pow is undefined for a negative base, so an integer power must be multiplied out.
    throw new ValidationError('expression', `integer power ${n} is too large to expand inline; use buildProgram`);
  },
};

/** f32 WGSL for one tree; erf/erfc need WGSL_PRELUDE in the module. */
export function emitWGSL(e: Expr, options: EmitOptions): string {
  return emitWith(e, options, WGSL);
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
