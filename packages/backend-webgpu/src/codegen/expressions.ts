import { buildProgram, float32Literal, freeVariables, programToWGSL, type Expr } from '@brokenrecord/core';
import { withPreciseFunctions } from './wgsl-math.js';

/**
 * How the variables of an expression rule read in the generated WGSL: each name the expression
 * may use maps to a WGSL expression this generator wrote (a local, a load). User-chosen names
 * (parameters are already numbers in the plan; attribute columns map to `attributeOf(k, i)`
 * loads by index) never appear in the shader text: only trees are turned into code.
 */
export type VariableMap = (name: string) => string | undefined;

/**
 * Straight-line WGSL for `outputs` (common subexpressions shared, integer powers multiplied out,
 * by core's buildProgram): the `let` statements and one expression per output, elementary
 * functions calling wgsl-math.ts. Temporaries are
 * named `${prefix}N`, a prefix no other identifier of the module starts with.
 */
export function emitOutputs(outputs: readonly Expr[], variables: VariableMap, prefix: string): { statements: string[]; outputs: string[] } {
  const program = buildProgram(outputs, { prefix });
  const emitted = programToWGSL(program, {
    name: (v) => {
      const mapped = variables(v);
      // Core validated every identifier against the rule's variables; one with no mapping here
      // is a variable this generator does not provide, which must not pass silently.
      if (mapped === undefined) throw new Error(`webgpu codegen: no WGSL value for the variable '${v}'`);
      return mapped;
    },
  });
  // Elementary functions go to wgsl-math.ts instead of the loosely specified builtins.
  return { statements: emitted.statements.map(withPreciseFunctions), outputs: emitted.outputs.map(withPreciseFunctions) };
}

/** Every variable any of the trees reads. */
export function variablesOf(trees: readonly Expr[]): Set<string> {
  const out = new Set<string>();
  for (const t of trees) for (const v of freeVariables(t)) out.add(v);
  return out;
}

/** A `{ ... }` block of statements with `tail` after them, indented. */
export function block(statements: readonly string[], tail: readonly string[], indent: string): string {
  const inner = `${indent}  `;
  return [`${indent}{`, ...statements.map((s) => inner + s), ...tail.map((s) => inner + s), `${indent}}`].join('\n');
}

/** An f32 WGSL literal for a plan number (cutoffs, their squares). */
export function f32Literal(value: number): string {
  return float32Literal(value, 'WGSL');
}
