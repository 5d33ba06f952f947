import { FUNCTIONS, exprChildren, isFunctionName, isPowiExponent, type Expr } from './ast.js';
import { evaluate } from './evaluate.js';
import { freeVariables } from './equality.js';
import { tokenize, type Token } from './lexer.js';
import { sourceError } from './source-error.js';

export interface ParseOptions {
  /** The identifiers the expression may use (besides its own definitions). */
  readonly variables: Iterable<string>;
  /** Names the input in errors, e.g. `pairForce.energy`. */
  readonly field: string;
}

/** Deep enough for any physical formula, shallow enough that recursion can never overflow the stack. */
const MAX_DEPTH = 256;
/** Far beyond any physical potential; a guard against definitions that expand exponentially. */
const MAX_NODES = 100_000;

/**
 * Parses Lepton-style text: `expr; name = expr; ...`. Definitions are substituted into the main
 * expression (and into each other, in any order). Precedence, loosest first: `+ -`, `* /`, unary
 * `- +`, `^` (right-associative, so `-x^2` is −(x²) and `2^3^2` is 2⁹). `a^n` whose exponent
 * folds to an integer becomes `powi`. The tree is otherwise kept as written (call `simplify` to fold).
 */
export function parseExpression(source: string, options: ParseOptions): Expr {
  const { field } = options;
  const variables = new Set(options.variables);
  const fail = (problem: string, pos: number, note?: string): never => {
    throw sourceError(field, problem, source, pos, note);
  };

  const segments = splitStatements(tokenize(source, field));
  const main = segments[0]!;
  if (main[0]!.kind === 'end') fail('empty expression', main[0]!.pos);

  // Collect definition names first: definitions may use each other in any order.
  interface Definition {
    readonly name: string;
    readonly pos: number;
    readonly body: readonly Token[];
  }
  const definitions = new Map<string, Definition>();
  for (const seg of segments.slice(1)) {
    const [nameTok, eqTok] = seg;
    if (nameTok!.kind === 'end') fail("empty definition after ';'", nameTok!.pos);
    if (nameTok!.kind !== 'ident') fail("expected a definition 'name = expression'", nameTok!.pos);
    const name = nameTok!.text;
    if (eqTok!.kind !== 'op' || eqTok!.text !== '=') fail(`expected '=' after '${name}'`, eqTok!.pos);
    if (definitions.has(name)) fail(`'${name}' is defined twice`, nameTok!.pos);
    if (variables.has(name)) fail(`definition '${name}' shadows a variable of the same name`, nameTok!.pos);
    if (isFunctionName(name)) fail(`definition '${name}' has the name of a function`, nameTok!.pos);
    const body = seg.slice(2);
    if (body[0]!.kind === 'end') fail(`empty definition of '${name}'`, body[0]!.pos);
    definitions.set(name, { name, pos: nameTok!.pos, body });
  }

  const known = [...variables, ...definitions.keys()].sort();
  const knownSet = new Set(known);
  const parseTokens = (tokens: readonly Token[]) => new Parser(tokens, knownSet, known, fail).parseAll();

  const mainTree = parseTokens(main);
  const parsed = new Map<string, Expr>();
  for (const d of definitions.values()) parsed.set(d.name, parseTokens(d.body));

  // Expand definitions depth first; a name met again while it is being expanded is a cycle.
  const resolved = new Map<string, Expr>();
  const expanding: string[] = [];
  const expand = (e: Expr): Expr => substituteDefinitions(e, (name) => resolve(name));
  const resolve = (name: string): Expr | undefined => {
    const def = definitions.get(name);
    if (!def) return undefined;
    const done = resolved.get(name);
    if (done) return done;
    const at = expanding.indexOf(name);
    if (at >= 0) fail(`definitions form a cycle: ${[...expanding.slice(at), name].join(' -> ')}`, def.pos);
    expanding.push(name);
    const tree = expand(parsed.get(name)!);
    expanding.pop();
    resolved.set(name, tree);
    return tree;
  };
  for (const name of definitions.keys()) resolve(name);
  const tree = expand(mainTree);
  // Nested definitions multiply: `a = b*b; b = c*c; ...` doubles per level. Every consumer
  // (evaluate, format, the emitters) walks the tree, so refuse one that cannot be written out.
  if (treeSize(tree) > MAX_NODES) {
    fail(`expression has more than ${MAX_NODES} nodes once its definitions are substituted`, main[0]!.pos);
  }
  return integerPowers(tree);
}

/** Splits at `;`; every segment ends with an `end` token placed where the segment stops. */
function splitStatements(tokens: readonly Token[]): Token[][] {
  const segments: Token[][] = [[]];
  for (const t of tokens) {
    if (t.kind === 'op' && t.text === ';') {
      segments[segments.length - 1]!.push({ kind: 'end', text: '', pos: t.pos });
      segments.push([]);
    } else {
      segments[segments.length - 1]!.push(t);
    }
  }
  return segments;
}

function substituteDefinitions(e: Expr, lookup: (name: string) => Expr | undefined): Expr {
  switch (e.op) {
    case 'num':
      return e;
    case 'var':
      return lookup(e.name) ?? e;
    case 'neg':
      return { op: 'neg', a: substituteDefinitions(e.a, lookup) };
    case 'powi':
      return { op: 'powi', a: substituteDefinitions(e.a, lookup), n: e.n };
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
    case 'pow':
      return { op: e.op, a: substituteDefinitions(e.a, lookup), b: substituteDefinitions(e.b, lookup) };
    case 'call':
      return { op: 'call', fn: e.fn, args: e.args.map((x) => substituteDefinitions(x, lookup)) };
  }
}

/**
 * `pow(a, b)` whose exponent is a constant integer (`(sig/r)^12`, `x^-2`, `x^(2*3)`, or a definition
 * that is a constant) becomes `powi(a, n)`, which code generators expand into multiplications.
 */
function integerPowers(root: Expr): Expr {
  // Memoized by object: substituted definitions are shared subtrees, keep them shared.
  const memo = new Map<Expr, Expr>();
  const go = (e: Expr): Expr => {
    const hit = memo.get(e);
    if (hit) return hit;
    let r: Expr;
    switch (e.op) {
      case 'num':
      case 'var':
        r = e;
        break;
      case 'neg':
        r = { op: 'neg', a: go(e.a) };
        break;
      case 'powi':
        r = { op: 'powi', a: go(e.a), n: e.n };
        break;
      case 'pow': {
        const a = go(e.a);
        const b = go(e.b);
        const n = constantInteger(b);
        r = n === undefined ? { op: 'pow', a, b } : { op: 'powi', a, n };
        break;
      }
      case 'add':
      case 'sub':
      case 'mul':
      case 'div':
        r = { op: e.op, a: go(e.a), b: go(e.b) };
        break;
      case 'call':
        r = { op: 'call', fn: e.fn, args: e.args.map(go) };
        break;
    }
    memo.set(e, r);
    return r;
  };
  return go(root);
}

/** Node count of the tree as written out (shared subtrees counted each time), computed on the DAG. */
function treeSize(root: Expr): number {
  const memo = new Map<Expr, number>();
  const go = (e: Expr): number => {
    const hit = memo.get(e);
    if (hit !== undefined) return hit;
    const r = 1 + exprChildren(e).reduce((s, c) => s + go(c), 0);
    memo.set(e, r);
    return r;
  };
  return go(root);
}

/** The value of a variable-free expression when it is a safe integer. */
export function constantInteger(e: Expr): number | undefined {
  if (e.op === 'num') return isPowiExponent(e.value) ? e.value + 0 : undefined;
  if (freeVariables(e).size > 0) return undefined;
  const v = evaluate(e, {});
  return isPowiExponent(v) ? v + 0 : undefined;
}

/** Recursive descent over one statement's tokens. */
class Parser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly known: ReadonlySet<string>,
    private readonly knownSorted: readonly string[],
    private readonly fail: (problem: string, pos: number, note?: string) => never,
  ) {}

  parseAll(): Expr {
    const e = this.additive();
    const t = this.peek();
    if (t.kind !== 'end') {
      if (t.kind === 'op' && t.text === ')') this.fail("unmatched ')'", t.pos);
      this.fail(`unexpected ${describe(t)}`, t.pos);
    }
    return e;
  }

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }

  private additive(): Expr {
    let e = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.peek().text === '+' ? 'add' : 'sub';
      this.i++;
      e = { op, a: e, b: this.multiplicative() };
    }
    return e;
  }

  private multiplicative(): Expr {
    let e = this.unary();
    while (this.isOp('*') || this.isOp('/')) {
      const op = this.peek().text === '*' ? 'mul' : 'div';
      this.i++;
      e = { op, a: e, b: this.unary() };
    }
    return e;
  }

  /** `-2` (a bare literal) is the number −2; `-(2)` and `-2^2` stay negations, as written. */
  private unary(): Expr {
    if (this.isOp('-') || this.isOp('+')) {
      const minus = this.peek().text === '-';
      this.i++;
      this.enter();
      const start = this.i;
      const operand = this.unary();
      this.depth--;
      if (!minus) return operand;
      const bare = operand.op === 'num' && this.i === start + 1;
      return bare ? { op: 'num', value: -operand.value } : { op: 'neg', a: operand };
    }
    return this.power();
  }

  private power(): Expr {
    const base = this.primary();
    if (!this.isOp('^')) return base;
    this.i++;
    this.enter();
    const exponent = this.unary();
    this.depth--;
    return { op: 'pow', a: base, b: exponent };
  }

  private primary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'num':
        this.i++;
        return { op: 'num', value: t.value };
      case 'ident':
        this.i++;
        if (this.isOp('(')) return this.callArgs(t);
        if (!this.known.has(t.text)) {
          const list = this.knownSorted.length ? this.knownSorted.join(', ') : '(none)';
          const hint = isFunctionName(t.text) ? ` ('${t.text}' is a function: write ${t.text}(...))` : '';
          this.fail(`unknown identifier '${t.text}'${hint}`, t.pos, `known identifiers: ${list}`);
        }
        return { op: 'var', name: t.text };
      case 'op':
        if (t.text === '(') {
          this.i++;
          this.enter();
          const e = this.additive();
          this.depth--;
          this.close(t);
          return e;
        }
        return this.fail(`unexpected ${describe(t)}`, t.pos);
      case 'end':
        return this.fail('unexpected end of expression', t.pos);
    }
  }

  private callArgs(name: Token): Expr {
    if (!isFunctionName(name.text)) {
      this.fail(`unknown function '${name.text}'`, name.pos, `functions: ${Object.keys(FUNCTIONS).sort().join(', ')}`);
    }
    const fn = name.text as keyof typeof FUNCTIONS;
    const open = this.peek();
    this.i++;
    this.enter();
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      args.push(this.additive());
      while (this.isOp(',')) {
        this.i++;
        args.push(this.additive());
      }
    }
    this.depth--;
    this.close(open);
    const arity = FUNCTIONS[fn];
    if (args.length !== arity) {
      this.fail(`function '${fn}' takes ${arity} argument${arity === 1 ? '' : 's'}, got ${args.length}`, name.pos);
    }
    return { op: 'call', fn, args };
  }

  private close(open: Token): void {
    const t = this.peek();
    if (t.kind === 'op' && t.text === ')') {
      this.i++;
      return;
    }
    const found = t.kind === 'end' ? 'end of expression' : describe(t);
    this.fail(`missing ')' to close '(' at column ${open.pos + 1}, found ${found}`, t.pos);
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail('expression is nested too deeply', this.peek().pos);
  }
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'num':
      return `number '${t.text}'`;
    case 'ident':
      return `identifier '${t.text}'`;
    case 'op':
      return `'${t.text}'`;
    case 'end':
      return 'end of expression';
  }
}
