import { ValidationError } from '../errors.js';
import type { Expr, FunctionName } from './ast.js';

/** How the caller names variables in the target code (columns, uniforms, locals...). */
export interface EmitOptions {
  readonly name: (variable: string) => string;
}

/** What differs between target languages; the tree walk is shared. */
export interface Target {
  literal(value: number): string;
  call(fn: FunctionName, args: readonly string[]): string;
  pow(a: string, b: string): string;
  /** `c >= 0 ? a : b`: select(step(c), a, b), the shape of every min/max/abs derivative, in one test. */
  selectNonNegative(c: string, a: string, b: string): string;
  /** Integer power beyond what is worth expanding inline (programs never need it: they expand powi). */
  largePowi(a: string, n: number): string;
}

/** Inline expansion limit for a bare `powi` (its base text is repeated about |n| times). */
const INLINE_POWI = 64;

/**
 * Fully parenthesized output: the text never depends on the target's precedence rules, and
 * `-(-x)` can never turn into a decrement `--x`.
 */
export function emitWith(e: Expr, options: EmitOptions, target: Target): string {
  const go = (x: Expr): string => {
    switch (x.op) {
      case 'num':
        return target.literal(x.value);
      case 'var':
        return options.name(x.name);
      case 'neg':
        return `(-${go(x.a)})`;
      case 'add':
        return `(${go(x.a)} + ${go(x.b)})`;
      case 'sub':
        return `(${go(x.a)} - ${go(x.b)})`;
      case 'mul':
        return `(${go(x.a)} * ${go(x.b)})`;
      case 'div':
        return `(${go(x.a)} / ${go(x.b)})`;
      case 'pow':
        return target.pow(go(x.a), go(x.b));
      case 'powi':
        return inlinePowi(go(x.a), x.n, target);
      case 'call': {
        const [c, a, b] = x.args;
        if (x.fn === 'select' && c!.op === 'call' && c!.fn === 'step') {
          // step(c) != 0 exactly when c >= 0 (NaN fails both), so skip materializing the 1.0/0.0.
          return target.selectNonNegative(go(c!.args[0]!), go(a!), go(b!));
        }
        return target.call(x.fn, x.args.map(go));
      }
    }
  };
  return go(e);
}

/**
 * A bare powi (outside a Program) is expanded by repeated squaring in the text itself, so even
 * without buildProgram no pow call appears for an integer exponent; the target compiler shares
 * the repeated base.
 */
function inlinePowi(a: string, n: number, target: Target): string {
  if (n === 0) return target.literal(1);
  if (Math.abs(n) > INLINE_POWI) return target.largePowi(a, n);
  let m = Math.abs(n);
  let base = a;
  let result: string | undefined;
  for (;;) {
    if (m % 2 === 1) result = result === undefined ? base : `(${result} * ${base})`;
    m = Math.floor(m / 2);
    if (m === 0) break;
    base = `(${base} * ${base})`;
  }
  return n < 0 ? `(${target.literal(1)} / ${result})` : result!;
}

/**
 * Shortest decimal that rounds to the same float32 and stays within the finite f32 range (an
 * f32 literal above FLT_MAX is a compile error in WGSL), always with a '.' or an exponent.
 * Throws for constants that have no f32 value at all.
 */
export function float32Literal(value: number, target: string, suffix = ''): string {
  const f = Math.fround(value);
  if (!Number.isFinite(value) || !Number.isFinite(f)) {
    throw new ValidationError('expression', `constant ${value} cannot be written as a ${target} float32`);
  }
  const mag = Math.abs(f);
  let text = String(mag);
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(mag.toPrecision(p));
    if (Math.fround(candidate) === mag && candidate <= 3.4028234663852886e38) {
      text = String(candidate);
      break;
    }
  }
  return signed(decimal(text) + suffix, f < 0 || Object.is(f, -0));
}

/** Float64 literal with a '.' or exponent (C's `2` would be an int). */
export function float64Literal(value: number, target: string, suffix = ''): string {
  if (!Number.isFinite(value)) {
    throw new ValidationError('expression', `constant ${value} cannot be written as a ${target} literal`);
  }
  return signed(decimal(String(Math.abs(value))) + suffix, value < 0 || Object.is(value, -0));
}

function decimal(text: string): string {
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

function signed(text: string, negative: boolean): string {
  return negative ? `(-${text})` : text;
}
