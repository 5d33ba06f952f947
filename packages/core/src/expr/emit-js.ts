import type { Expr, FunctionName } from './ast.js';
import { emitWith, type EmitOptions, type Target } from './emit-core.js';
import { ERF_A, ERF_B, ERF_C, ERF_D, ERF_P, ERF_Q, ERF_THRESHOLD, ERFC_ZERO_BEYOND, INV_SQRT_PI } from './erf.js';
import type { Program } from './program.js';

const MATH: Partial<Record<FunctionName, string>> = {
  sqrt: 'Math.sqrt',
  exp: 'Math.exp',
  log: 'Math.log',
  sin: 'Math.sin',
  cos: 'Math.cos',
  tan: 'Math.tan',
  asin: 'Math.asin',
  acos: 'Math.acos',
  atan: 'Math.atan',
  sinh: 'Math.sinh',
  cosh: 'Math.cosh',
  tanh: 'Math.tanh',
  abs: 'Math.abs',
  floor: 'Math.floor',
  ceil: 'Math.ceil',
  min: 'Math.min',
  max: 'Math.max',
  erf: '__br_erf',
  erfc: '__br_erfc',
};

const JS: Target = {
  literal(v) {
    if (Number.isNaN(v)) return '(0/0)';
    if (!Number.isFinite(v)) return v > 0 ? '(1/0)' : '(-1/0)';
    return v < 0 || Object.is(v, -0) ? `(-${String(-v)})` : String(v);
  },
  call(fn, args) {
    // Same tests as evaluate's applyFunction, so NaN behaves identically (NaN selects `a`).
    if (fn === 'step') return `(${args[0]} >= 0 ? 1 : 0)`;
    if (fn === 'select') return `(${args[0]} !== 0 ? ${args[1]} : ${args[2]})`;
    return `${MATH[fn]!}(${args.join(', ')})`;
  },
  pow: (a, b) => `Math.pow(${a}, ${b})`,
  selectNonNegative: (c, a, b) => `(${c} >= 0 ? ${a} : ${b})`,
  largePowi: (a, n) => `Math.pow(${a}, ${n})`,
};

/** Float64 JavaScript for one tree; erf/erfc need JS_PRELUDE in scope. */
export function emitJS(e: Expr, options: EmitOptions): string {
  return emitWith(e, options, JS);
}

/** True when the tree calls erf or erfc (so the prelude is needed). */
export function usesErf(e: Expr): boolean {
  switch (e.op) {
    case 'num':
    case 'var':
      return false;
    case 'neg':
    case 'powi':
      return usesErf(e.a);
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
    case 'pow':
      return usesErf(e.a) || usesErf(e.b);
    case 'call':
      return e.fn === 'erf' || e.fn === 'erfc' || e.args.some(usesErf);
  }
}

/** Variable names inside a program: temps are emitted as themselves, the rest go through `name`. */
export function programNames(p: Program, options: EmitOptions): EmitOptions {
  const temps = new Set(p.temps.map((t) => t.name));
  return { name: (v) => (temps.has(v) ? v : options.name(v)) };
}

/** `const _t0 = ...;` statements and the output expressions (which may use the temps). */
export function programToJS(
  p: Program,
  options: EmitOptions & { readonly declare?: 'const' | 'let' },
): { statements: string[]; outputs: string[] } {
  const names = programNames(p, options);
  const declare = options.declare ?? 'const';
  return {
    statements: p.temps.map((t) => `${declare} ${t.name} = ${emitJS(t.expr, names)};`),
    outputs: p.outputs.map((o) => emitJS(o, names)),
  };
}

const list = (xs: readonly number[]) => `[${xs.map(String).join(', ')}]`;

/**
 * JavaScript text of erf.ts's algorithm, operation for operation (so generated code and
 * `evaluate` agree bit for bit). Defines `__br_erf(x)` and `__br_erfc(x)`.
 */
export const JS_PRELUDE = `const __br_ERF_A = ${list(ERF_A)};
const __br_ERF_B = ${list(ERF_B)};
const __br_ERF_C = ${list(ERF_C)};
const __br_ERF_D = ${list(ERF_D)};
const __br_ERF_P = ${list(ERF_P)};
const __br_ERF_Q = ${list(ERF_Q)};
function __br_erfc_tail(y) {
  if (y >= ${ERFC_ZERO_BEYOND}) return 0;
  let r;
  if (y <= 4) {
    let xnum = __br_ERF_C[8] * y;
    let xden = y;
    for (let i = 0; i < 7; i++) {
      xnum = (xnum + __br_ERF_C[i]) * y;
      xden = (xden + __br_ERF_D[i]) * y;
    }
    r = (xnum + __br_ERF_C[7]) / (xden + __br_ERF_D[7]);
  } else {
    const z = 1 / (y * y);
    let xnum = __br_ERF_P[5] * z;
    let xden = z;
    for (let i = 0; i < 4; i++) {
      xnum = (xnum + __br_ERF_P[i]) * z;
      xden = (xden + __br_ERF_Q[i]) * z;
    }
    r = (z * (xnum + __br_ERF_P[4])) / (xden + __br_ERF_Q[4]);
    r = (${INV_SQRT_PI} - r) / y;
  }
  const ys = Math.trunc(y * 16) / 16;
  const del = (y - ys) * (y + ys);
  return Math.exp(-ys * ys) * Math.exp(-del) * r;
}
function __br_erf_small(x) {
  const z = x * x;
  let xnum = __br_ERF_A[4] * z;
  let xden = z;
  for (let i = 0; i < 3; i++) {
    xnum = (xnum + __br_ERF_A[i]) * z;
    xden = (xden + __br_ERF_B[i]) * z;
  }
  return (x * (xnum + __br_ERF_A[3])) / (xden + __br_ERF_B[3]);
}
function __br_erf(x) {
  if (x !== x) return x;
  const y = Math.abs(x);
  if (y <= ${ERF_THRESHOLD}) return __br_erf_small(x);
  const r = 0.5 - __br_erfc_tail(y) + 0.5;
  return x < 0 ? -r : r;
}
function __br_erfc(x) {
  if (x !== x) return x;
  const y = Math.abs(x);
  if (y <= ${ERF_THRESHOLD}) return 1 - __br_erf_small(x);
  const r = __br_erfc_tail(y);
  return x < 0 ? 2 - r : r;
}
`;
