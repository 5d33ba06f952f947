import type { Random } from '../helpers/random.js';

/**
 * Random expression trees in the language of the expression rules (Lepton syntax, as a user writes
 * it), for the expression fuzz. Every function and operator of the language can appear; the trees
 * are kept numerically tame by construction, so that a disagreement between backends means a wrong
 * kernel and not an argument outside a function's domain:
 *
 * - arguments are kept in domain by their shape: sqrt(c + u²), log(c + u²), a/(c + b²),
 *   (c + u²)^e, asin(0.9·tanh(u)) when |u| may exceed 0.9, tan(1.2·tanh(u)) when |u| may exceed
 *   1.2, exp(3·tanh(u)) when |u| may exceed 3 (with c ≥ 0.5);
 * - every subtree carries a bound on its magnitude over the variables' ranges (interval
 *   arithmetic on absolute values), and a tree whose bound is too large is regenerated;
 * - functions with jumps (step, floor, ceil, select's condition) only ever read `static` variables
 *   (masses, attribute columns, parameters, t, constants), which are bit-identical on every
 *   backend at every step, so no backend can land on the other side of a jump by a rounding;
 * - in a potential (whose force is its derivative) kinks are jumps of the force, so abs, min and
 *   max also read static variables only there; in a field (an acceleration itself) they may read
 *   positions and velocities.
 */
export interface Variable {
  /** The text a leaf writes: a variable, or a small expression of variables (a symmetric pair combination). */
  readonly name: string;
  /** The variables that text reads (default: the name itself). */
  readonly reads?: readonly string[];
  /** |value| ≤ bound over the run. */
  readonly bound: number;
  /** Changes during a run (positions, velocities, r): jumps and kinks must not depend on it. */
  readonly dynamic: boolean;
}

export interface RandomTree {
  readonly text: string;
  readonly bound: number;
  /** Every variable name the text reads. */
  readonly uses: ReadonlySet<string>;
}

export interface TreeOptions {
  readonly variables: readonly Variable[];
  readonly maxDepth: number;
  /** A potential (differentiated by core): kinks only over static variables. A field: kinks anywhere. */
  readonly differentiated: boolean;
}

interface Node {
  text: string;
  bound: number;
  dynamic: boolean;
}

const SMOOTH_BOUNDED: readonly [string, (b: number) => number][] = [
  ['sin', (b) => Math.min(1, b)],
  ['cos', () => 1],
  ['atan', (b) => Math.min(Math.PI / 2, b)],
  ['tanh', (b) => Math.min(1, b)],
  ['erf', (b) => Math.min(1, b)],
  ['erfc', () => 2],
];

/** A number with at most three decimals in ±[0.1, 2] (printed plainly, as a user types it). */
function constant(rng: Random): number {
  const v = Math.round(rng.uniform(0.1, 2) * 1000) / 1000;
  return rng.next() < 0.3 ? -v : v;
}

const num = (v: number): string => (v < 0 ? `(${v})` : String(v));

export function randomTree(rng: Random, options: TreeOptions): RandomTree {
  const uses = new Set<string>();
  const staticVars = options.variables.filter((v) => !v.dynamic);

  const leaf = (vars: readonly Variable[]): Node => {
    if (vars.length && rng.next() < 0.75) {
      // Half the leaves are the changing variables (when allowed here), so most trees exert a force.
      const moving = vars.filter((v) => v.dynamic);
      const v = rng.pick(moving.length && rng.next() < 0.5 ? moving : vars);
      for (const name of v.reads ?? [v.name]) uses.add(name);
      return { text: v.name, bound: v.bound, dynamic: v.dynamic };
    }
    const c = constant(rng);
    return { text: num(c), bound: Math.abs(c), dynamic: false };
  };
  const offset = () => Math.round(rng.uniform(0.5, 2) * 100) / 100;

  const gen = (depth: number, vars: readonly Variable[]): Node => {
    if (depth <= 0 || rng.next() < 0.2) return leaf(vars);
    const sub = () => gen(depth - 1, vars);
    const roll = rng.int(19);
    switch (roll) {
      case 0:
      case 1: {
        const [a, b] = [sub(), sub()];
        const op = rng.pick(['+', '-']);
        return { text: `(${a.text} ${op} ${b.text})`, bound: a.bound + b.bound, dynamic: a.dynamic || b.dynamic };
      }
      case 2:
      case 3: {
        const [a, b] = [sub(), sub()];
        return { text: `(${a.text}*${b.text})`, bound: a.bound * b.bound, dynamic: a.dynamic || b.dynamic };
      }
      case 4: {
        const [a, b] = [sub(), sub()];
        const c = offset();
        return { text: `(${a.text}/(${c} + ${b.text}^2))`, bound: a.bound / c, dynamic: a.dynamic || b.dynamic };
      }
      case 5: {
        const a = sub();
        const n = rng.pick([2, 3, 4]);
        if (rng.next() < 0.7) return { text: `((${a.text})^${n})`, bound: a.bound ** n, dynamic: a.dynamic };
        const c = offset();
        return { text: `((${c} + ${a.text}^2)^(-${n}))`, bound: c ** -n, dynamic: a.dynamic };
      }
      case 6: {
        // A non-integer power of a positive base.
        const [a, e0] = [sub(), sub()];
        const e = e0.bound <= 2 ? e0 : { text: `(2*tanh(${e0.text}))`, bound: 2, dynamic: e0.dynamic };
        const c = offset();
        const hi = c + a.bound ** 2;
        return {
          text: `((${c} + ${a.text}^2)^(${e.text}))`,
          bound: Math.max(hi ** e.bound, c ** -e.bound),
          dynamic: a.dynamic || e.dynamic,
        };
      }
      case 7:
      case 8: {
        const [fn, bound] = rng.pick(SMOOTH_BOUNDED);
        const a = sub();
        return { text: `${fn}(${a.text})`, bound: bound(a.bound), dynamic: a.dynamic };
      }
      case 9: {
        const a = sub();
        const fn = rng.pick(['exp', 'sinh', 'cosh']);
        const arg = a.bound <= 3 ? a.text : `3*tanh(${a.text})`;
        return { text: `${fn}(${arg})`, bound: Math.exp(Math.min(3, a.bound)), dynamic: a.dynamic };
      }
      case 10: {
        const a = sub();
        const arg = a.bound <= 1.2 ? a.text : `1.2*tanh(${a.text})`;
        return { text: `tan(${arg})`, bound: Math.tan(Math.min(1.2, a.bound)), dynamic: a.dynamic };
      }
      case 11: {
        const a = sub();
        const c = offset();
        return { text: `sqrt(${c} + ${a.text}^2)`, bound: Math.sqrt(c + a.bound ** 2), dynamic: a.dynamic };
      }
      case 12: {
        const a = sub();
        const c = offset();
        return { text: `log(${c} + ${a.text}^2)`, bound: Math.max(Math.abs(Math.log(c)), Math.log(c + a.bound ** 2)), dynamic: a.dynamic };
      }
      case 13: {
        const a = sub();
        const fn = rng.pick(['asin', 'acos']);
        const arg = a.bound <= 0.9 ? a.text : `0.9*tanh(${a.text})`;
        return { text: `${fn}(${arg})`, bound: fn === 'asin' ? Math.PI / 2 : Math.PI, dynamic: a.dynamic };
      }
      case 14: {
        // Kinks: abs, min, max.
        const kinkVars = options.differentiated ? staticVars : vars;
        const a = gen(depth - 1, kinkVars);
        if (rng.next() < 0.4) return { text: `abs(${a.text})`, bound: a.bound, dynamic: a.dynamic };
        const b = gen(depth - 1, kinkVars);
        return {
          text: `${rng.pick(['min', 'max'])}(${a.text}, ${b.text})`,
          bound: Math.max(a.bound, b.bound),
          dynamic: a.dynamic || b.dynamic,
        };
      }
      case 15: {
        // Jumps: step, floor, ceil, over static variables only.
        const a = gen(depth - 1, staticVars);
        const fn = rng.pick(['step', 'floor', 'ceil']);
        return { text: `${fn}(${a.text})`, bound: fn === 'step' ? 1 : a.bound + 1, dynamic: false };
      }
      case 16: {
        // select: the condition static (a jump), the branches anything.
        const c = gen(depth - 1, staticVars);
        const [a, b] = [sub(), sub()];
        const cond = rng.next() < 0.5 ? c.text : `step(${c.text})`;
        return { text: `select(${cond}, ${a.text}, ${b.text})`, bound: Math.max(a.bound, b.bound), dynamic: a.dynamic || b.dynamic };
      }
      case 17: {
        const a = sub();
        return { text: `(-${a.text})`, bound: a.bound, dynamic: a.dynamic };
      }
      default:
        return leaf(vars);
    }
  };

  // A tree of static variables only exerts no force (or a constant one): draw again, as for one
  // whose magnitude may exceed MAX_BOUND.
  for (let attempt = 0; ; attempt++) {
    uses.clear();
    const root = gen(options.maxDepth, options.variables);
    if ((root.dynamic && root.bound <= MAX_BOUND) || attempt === 50) return { text: root.text, bound: root.bound, uses: new Set(uses) };
  }
}

/** Largest magnitude bound a tree may have (the fuzz scales each rule to O(1) accelerations). */
export const MAX_BOUND = 1e6;
