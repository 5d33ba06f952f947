/**
 * The expression tree. Every stage (parser, simplifier, differentiator, code generators) speaks
 * only this tree, so no user text ever reaches a compiler or shader: only trees are turned into code.
 * Nodes are immutable plain objects; sharing subtrees by reference is safe.
 */

/** Built-in functions and their arity, as in OpenMM's Lepton. */
export const FUNCTIONS = {
  sqrt: 1,
  exp: 1,
  log: 1,
  sin: 1,
  cos: 1,
  tan: 1,
  asin: 1,
  acos: 1,
  atan: 1,
  sinh: 1,
  cosh: 1,
  tanh: 1,
  erf: 1,
  erfc: 1,
  abs: 1,
  step: 1,
  floor: 1,
  ceil: 1,
  min: 2,
  max: 2,
  select: 3,
} as const;

export type FunctionName = keyof typeof FUNCTIONS;

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'pow';

/**
 * Semantics follow Lepton: step(x) = x >= 0 ? 1 : 0; select(c, a, b) = c != 0 ? a : b.
 * `pow` is reserved for non-integer (or non-constant) exponents; an integer exponent is `powi`,
 * which code generators expand into multiplications.
 */
export type Expr =
  | { readonly op: 'num'; readonly value: number }
  | { readonly op: 'var'; readonly name: string }
  | { readonly op: 'neg'; readonly a: Expr }
  | { readonly op: BinaryOp; readonly a: Expr; readonly b: Expr }
  | { readonly op: 'powi'; readonly a: Expr; readonly n: number }
  | { readonly op: 'call'; readonly fn: FunctionName; readonly args: readonly Expr[] };

export type NumExpr = Extract<Expr, { op: 'num' }>;
export type VarExpr = Extract<Expr, { op: 'var' }>;
export type BinaryExpr = Extract<Expr, { op: BinaryOp }>;
export type CallExpr = Extract<Expr, { op: 'call' }>;

export function isFunctionName(name: string): name is FunctionName {
  return Object.prototype.hasOwnProperty.call(FUNCTIONS, name);
}

// Plain constructors: they build exactly the node asked for (no simplification), so callers and
// tests can construct any tree. `simplify` is the one place that rewrites.
export const ExprBuild = {
  num: (value: number): Expr => ({ op: 'num', value }),
  variable: (name: string): Expr => ({ op: 'var', name }),
  neg: (a: Expr): Expr => ({ op: 'neg', a }),
  add: (a: Expr, b: Expr): Expr => ({ op: 'add', a, b }),
  sub: (a: Expr, b: Expr): Expr => ({ op: 'sub', a, b }),
  mul: (a: Expr, b: Expr): Expr => ({ op: 'mul', a, b }),
  div: (a: Expr, b: Expr): Expr => ({ op: 'div', a, b }),
  pow: (a: Expr, b: Expr): Expr => ({ op: 'pow', a, b }),
  powi: (a: Expr, n: number): Expr => ({ op: 'powi', a, n }),
  call: (fn: FunctionName, ...args: Expr[]): Expr => ({ op: 'call', fn, args }),
} as const;

/** Leaves (numbers, variables) are never worth naming as temporaries. */
export function isLeafExpr(e: Expr): boolean {
  return e.op === 'num' || e.op === 'var';
}

/** The children of a node, in order. */
export function exprChildren(e: Expr): readonly Expr[] {
  switch (e.op) {
    case 'num':
    case 'var':
      return [];
    case 'neg':
    case 'powi':
      return [e.a];
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
    case 'pow':
      return [e.a, e.b];
    case 'call':
      return e.args;
  }
}

/** True when the integer `n` may be a `powi` exponent (binary exponentiation stays exact in size). */
export function isPowiExponent(n: number): boolean {
  return Number.isSafeInteger(n);
}
