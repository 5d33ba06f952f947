import { differentiate, freeVariables, simplify, substitute, type Expr } from '../expr/index.js';

/**
 * What core derives from a user's energy: parameters become numbers (so generated code folds
 * them), the cutoff shift is applied symbolically (per-particle values such as σ₁ may appear in
 * U(rc)), and the force comes from symbolic differentiation, so energy and force always agree.
 */
export function twoBody(
  energy: Expr,
  parameters: Readonly<Record<string, number>>,
  shiftAt: number | null,
): { energy: Expr; fScale: Expr } {
  let u = substitute(energy, parameters);
  if (shiftAt !== null) u = simplify({ op: 'sub', a: u, b: substitute(u, { r: shiftAt }) });
  // F_i = −∂U/∂x_i = −U'(r)·(x_i − x_j)/r = (U'(r)/r)·(x_j − x_i)
  const fScale = simplify({ op: 'div', a: differentiate(u, 'r'), b: { op: 'var', name: 'r' } });
  return { energy: u, fScale };
}

/** [−∂U/∂x, −∂U/∂y, −∂U/∂z] with the parameters substituted. */
export function gradientForce(energy: Expr, parameters: Readonly<Record<string, number>>): { energy: Expr; force: [Expr, Expr, Expr] } {
  const u = substitute(energy, parameters);
  const force = (['x', 'y', 'z'] as const).map((v) => simplify({ op: 'neg', a: differentiate(u, v) })) as [Expr, Expr, Expr];
  return { energy: u, force };
}

export function uses(e: Expr | readonly Expr[], ...names: string[]): boolean {
  const list = Array.isArray(e) ? e : [e as Expr];
  return list.some((x) => {
    const free = freeVariables(x);
    return names.some((n) => free.has(n));
  });
}
