import type { Expr, FunctionName } from './ast.js';
import { emitWith, float32Literal, float64Literal, type EmitOptions, type Target } from './emit-core.js';
import { programNames } from './emit-js.js';
import type { Program } from './program.js';

export type CFloat = 'float' | 'double';

const C_NAMES: Record<Exclude<FunctionName, 'step' | 'select'>, string> = {
  sqrt: 'sqrt',
  exp: 'exp',
  log: 'log',
  sin: 'sin',
  cos: 'cos',
  tan: 'tan',
  asin: 'asin',
  acos: 'acos',
  atan: 'atan',
  sinh: 'sinh',
  cosh: 'cosh',
  tanh: 'tanh',
  erf: 'erf',
  erfc: 'erfc',
  abs: 'fabs',
  floor: 'floor',
  ceil: 'ceil',
  min: 'fmin',
  max: 'fmax',
};

function target(float: CFloat): Target {
  // <math.h> (and CUDA) spell the float versions with an `f` suffix: sqrtf, fabsf, erfcf...
  const suffix = float === 'float' ? 'f' : '';
  const literal = (v: number) => (float === 'float' ? float32Literal(v, 'C', 'f') : float64Literal(v, 'C'));
  const zero = literal(0);
  const one = literal(1);
  return {
    literal,
    call(fn, args) {
      if (fn === 'step') return `(${args[0]} >= ${zero} ? ${one} : ${zero})`;
      if (fn === 'select') return `(${args[0]} != ${zero} ? ${args[1]} : ${args[2]})`;
      return `${C_NAMES[fn]}${suffix}(${args.join(', ')})`;
    },
    pow: (a, b) => `pow${suffix}(${a}, ${b})`,
    selectNonNegative: (c, a, b) => `(${c} >= ${zero} ? ${a} : ${b})`,
    largePowi: (a, n) => `pow${suffix}(${a}, ${literal(n)})`,
  };
}

/** C / C++ / CUDA for one tree, in `float` or `double` (erf/erfc come from <math.h>). */
export function emitC(e: Expr, options: EmitOptions & { readonly float: CFloat }): string {
  return emitWith(e, options, target(options.float));
}

/** `const float _t0 = ...;` statements and the output expressions. */
export function programToC(p: Program, options: EmitOptions & { readonly float: CFloat }): { statements: string[]; outputs: string[] } {
  const names = programNames(p, options);
  const t = target(options.float);
  return {
    statements: p.temps.map((x) => `const ${options.float} ${x.name} = ${emitWith(x.expr, names, t)};`),
    outputs: p.outputs.map((o) => emitWith(o, names, t)),
  };
}
