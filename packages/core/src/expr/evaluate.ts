import { ValidationError } from '../errors.js';
import type { Expr, FunctionName } from './ast.js';
import { erf, erfc } from './erf.js';

/**
 * Float64 semantics of every function, shared by `evaluate` and the constant folder so folding
 * can never disagree with evaluation. Generated JavaScript computes the same operations in the same order.
 */
export function applyFunction(fn: FunctionName, args: readonly number[]): number {
  const x = args[0]!;
  switch (fn) {
    case 'sqrt':
      return Math.sqrt(x);
    case 'exp':
      return Math.exp(x);
    case 'log':
      return Math.log(x);
    case 'sin':
      return Math.sin(x);
    case 'cos':
      return Math.cos(x);
    case 'tan':
      return Math.tan(x);
    case 'asin':
      return Math.asin(x);
    case 'acos':
      return Math.acos(x);
    case 'atan':
      return Math.atan(x);
    case 'sinh':
      return Math.sinh(x);
    case 'cosh':
      return Math.cosh(x);
    case 'tanh':
      return Math.tanh(x);
    case 'erf':
      return erf(x);
    case 'erfc':
      return erfc(x);
    case 'abs':
      return Math.abs(x);
    case 'step':
      return x >= 0 ? 1 : 0;
    case 'floor':
      return Math.floor(x);
    case 'ceil':
      return Math.ceil(x);
    case 'min':
      return Math.min(x, args[1]!);
    case 'max':
      return Math.max(x, args[1]!);
    case 'select':
      return x !== 0 ? args[1]! : args[2]!;
  }
}

/** x^n by repeated squaring, exactly as generated code multiplies (see program.ts). */
export function powInt(x: number, n: number): number {
  if (n === 0) return 1;
  let m = Math.abs(n);
  let base = x;
  let result: number | undefined;
  for (;;) {
    if (m % 2 === 1) result = result === undefined ? base : result * base;
    m = Math.floor(m / 2);
    if (m === 0) break;
    base = base * base;
  }
  return n < 0 ? 1 / result! : result!;
}

/** The float64 reference interpreter: the meaning of a tree. Throws on a variable missing from `env`. */
export function evaluate(e: Expr, env: Readonly<Record<string, number>>): number {
  switch (e.op) {
    case 'num':
      return e.value;
    case 'var': {
      // Own properties only: a variable named `constructor` must not find Object.prototype's.
      if (!Object.prototype.hasOwnProperty.call(env, e.name)) {
        throw new ValidationError('expression', `unbound variable '${e.name}'`);
      }
      return env[e.name]!;
    }
    case 'neg':
      return -evaluate(e.a, env);
    case 'add':
      return evaluate(e.a, env) + evaluate(e.b, env);
    case 'sub':
      return evaluate(e.a, env) - evaluate(e.b, env);
    case 'mul':
      return evaluate(e.a, env) * evaluate(e.b, env);
    case 'div':
      return evaluate(e.a, env) / evaluate(e.b, env);
    case 'pow':
      return Math.pow(evaluate(e.a, env), evaluate(e.b, env));
    case 'powi':
      return powInt(evaluate(e.a, env), e.n);
    case 'call':
      return applyFunction(
        e.fn,
        e.args.map((a) => evaluate(a, env)),
      );
  }
}
