import { isLeafExpr, type Expr } from './ast.js';
import { freeVariables } from './equality.js';

/** Straight-line code: temps in dependency order, then the outputs, all over `var` references. */
export interface Program {
  readonly temps: readonly { readonly name: string; readonly expr: Expr }[];
  readonly outputs: readonly Expr[];
}

export interface ProgramOptions {
  /** Temp names are `${prefix}${k}`; default `_t`. Names that are free variables are skipped. */
  readonly prefix?: string;
}

/**
 * Turns trees into straight-line code with common subexpressions shared. Every subtree of all
 * outputs is hash-consed (equal subtrees get one id), and a non-leaf node used more than once
 * (within or across outputs) becomes a temp. Integer powers are expanded first by binary
 * exponentiation (x¹² = x⁸·x⁴ from x², x⁴, x⁸), so the squares become shared temps and no emitted
 * code calls pow for an integer exponent: the result holds only num var neg add sub mul div pow call.
 */
export function buildProgram(outputs: readonly Expr[], options: ProgramOptions = {}): Program {
  const prefix = options.prefix ?? '_t';
  const interner = new Interner();
  const roots = outputs.map((o) => interner.intern(o));

  // Use counts: one per parent edge in the DAG (x*x counts x twice), one per output.
  const uses = new Array<number>(interner.nodes.length).fill(0);
  for (const node of interner.nodes) for (const c of node.kids) uses[c]!++;
  for (const r of roots) uses[r]!++;

  const taken = new Set<string>();
  for (const o of outputs) for (const v of freeVariables(o)) taken.add(v);
  let counter = 0;
  const freshName = (): string => {
    let name: string;
    do name = `${prefix}${counter++}`;
    while (taken.has(name));
    return name;
  };

  // Emit in post-order from the outputs, so each temp only refers to earlier temps.
  const temps: { name: string; expr: Expr }[] = [];
  const tempOf = new Map<number, Expr>();
  const built = new Map<number, Expr>();
  const build = (id: number): Expr => {
    const ref = tempOf.get(id);
    if (ref) return ref;
    const inline = built.get(id);
    if (inline) return inline;
    const node = interner.nodes[id]!;
    const expr = node.rebuild(node.kids.map(build));
    if (uses[id]! > 1 && !isLeafExpr(expr)) {
      const name = freshName();
      temps.push({ name, expr });
      const v: Expr = { op: 'var', name };
      tempOf.set(id, v);
      return v;
    }
    built.set(id, expr);
    return expr;
  };
  const outs = roots.map(build);
  return { temps, outputs: outs };
}

interface Node {
  readonly kids: readonly number[];
  readonly rebuild: (kids: readonly Expr[]) => Expr;
}

/** Hash-consing: a node's key is its operator plus its children's ids, so equal subtrees share an id. */
class Interner {
  readonly nodes: Node[] = [];
  private readonly ids = new Map<string, number>();
  // Trees share subtrees by reference (substituted definitions): visit each object once.
  private readonly seen = new Map<Expr, number>();

  intern(e: Expr): number {
    const hit = this.seen.get(e);
    if (hit !== undefined) return hit;
    const id = this.internNew(e);
    this.seen.set(e, id);
    return id;
  }

  private node(key: string, kids: readonly number[], rebuild: Node['rebuild']): number {
    const full = `${key}|${kids.join(',')}`;
    const hit = this.ids.get(full);
    if (hit !== undefined) return hit;
    const id = this.nodes.length;
    this.nodes.push({ kids, rebuild });
    this.ids.set(full, id);
    return id;
  }

  private internNew(e: Expr): number {
    switch (e.op) {
      case 'num':
        // Object.is semantics: 0 and −0 stay distinct constants.
        return this.node(`num:${Object.is(e.value, -0) ? '-0' : String(e.value)}`, [], () => e);
      case 'var':
        return this.node(`var:${e.name}`, [], () => e);
      case 'neg':
        return this.node('neg', [this.intern(e.a)], ([a]) => ({ op: 'neg', a: a! }));
      case 'add':
      case 'sub':
      case 'mul':
      case 'div':
      case 'pow': {
        const op = e.op;
        return this.node(op, [this.intern(e.a), this.intern(e.b)], ([a, b]) => ({ op, a: a!, b: b! }));
      }
      case 'powi':
        return this.powi(this.intern(e.a), e.n);
      case 'call': {
        const fn = e.fn;
        return this.node(
          `call:${fn}`,
          e.args.map((x) => this.intern(x)),
          (args) => ({ op: 'call', fn, args }),
        );
      }
    }
  }

  private mul(a: number, b: number): number {
    return this.node('mul', [a, b], ([x, y]) => ({ op: 'mul', a: x!, b: y! }));
  }

  /** x^n by repeated squaring over interned ids (the same order as evaluate's powInt). */
  private powi(base: number, n: number): number {
    if (n === 0) return this.node('num:1', [], () => ({ op: 'num', value: 1 }));
    let m = Math.abs(n);
    let b = base;
    let result: number | undefined;
    for (;;) {
      if (m % 2 === 1) result = result === undefined ? b : this.mul(result, b);
      m = Math.floor(m / 2);
      if (m === 0) break;
      b = this.mul(b, b);
    }
    if (n > 0) return result!;
    const one = this.node('num:1', [], () => ({ op: 'num', value: 1 }));
    return this.node('div', [one, result!], ([x, y]) => ({ op: 'div', a: x!, b: y! }));
  }
}
