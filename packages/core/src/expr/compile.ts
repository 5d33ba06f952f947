import { ValidationError } from '../errors.js';
import type { Expr } from './ast.js';
import { freeVariables } from './equality.js';
import { evaluate } from './evaluate.js';
import { JS_PRELUDE, programToJS, usesErf } from './emit-js.js';
import { buildProgram } from './program.js';

export type CompiledFunction = ((...values: number[]) => number) & { readonly generated: boolean };

export interface CompileOptions {
  /** `false` forces the interpreter closure (what a strict Content-Security-Policy leaves). */
  readonly generate?: boolean;
}

let codegen: boolean | undefined;

/** Whether `new Function` works here (a strict CSP forbids it); probed once. */
export function canGenerateCode(): boolean {
  if (codegen === undefined) {
    try {
      codegen = new Function('return 1')() === 1;
    } catch {
      codegen = false;
    }
  }
  return codegen;
}

/**
 * A fast JS function of `args` (positional) for a tree. The source is generated from the tree
 * only (variables become `a0, a1, ...`, so no user-chosen name reaches the JS parser either).
 * Where code generation is refused, falls back to a closure over `evaluate`; `generated` says which.
 */
export function compileFunction(e: Expr, args: readonly string[], options: CompileOptions = {}): CompiledFunction {
  const index = new Map<string, number>();
  args.forEach((a, i) => {
    if (index.has(a)) throw new ValidationError('compileFunction.args', `'${a}' is listed twice`);
    index.set(a, i);
  });
  const missing = [...freeVariables(e)].filter((v) => !index.has(v)).sort();
  if (missing.length > 0) {
    throw new ValidationError(
      'compileFunction.args',
      `the expression uses ${missing.map((v) => `'${v}'`).join(', ')}, which are not arguments`,
    );
  }
  if (options.generate !== false && canGenerateCode()) {
    const fn = generate(e, index);
    if (fn) return Object.assign(fn, { generated: true as const });
  }
  const interpreted = (...values: number[]): number => {
    const env: Record<string, number> = Object.create(null);
    args.forEach((a, i) => (env[a] = values[i]!));
    return evaluate(e, env);
  };
  return Object.assign(interpreted, { generated: false as const });
}

function generate(e: Expr, index: ReadonlyMap<string, number>): ((...values: number[]) => number) | undefined {
  const program = buildProgram([e], { prefix: '_t' });
  const { statements, outputs } = programToJS(program, { name: (v) => `a${index.get(v)!}` });
  const params = [...index.values()].map((i) => `a${i}`).join(', ');
  const body = [
    '"use strict";',
    usesErf(e) ? JS_PRELUDE : '',
    `return function (${params}) {`,
    ...statements.map((s) => `  ${s}`),
    `  return ${outputs[0]!};`,
    '};',
  ].join('\n');
  try {
    return new Function(body)() as (...values: number[]) => number;
  } catch {
    return undefined;
  }
}
