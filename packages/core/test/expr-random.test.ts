import { describe, expect, it } from 'vitest';
import {
  FUNCTIONS,
  JS_PRELUDE,
  buildProgram,
  evaluate,
  exprEquals,
  formatExpression,
  parseExpression,
  programToJS,
  simplify,
  type Expr,
  type FunctionName,
  type Program,
} from '../src/index.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VARS = ['x', 'y', 'z'];
const FNS = Object.keys(FUNCTIONS) as FunctionName[];
const CONSTANTS = [0, 1, -1, 2, 0.5, -3, 1.5e-7, 12, 1e21, -0];

/** Random trees over every node kind, with real (non-integer) pow exponents as the grammar requires. */
function randomTree(rand: () => number, depth: number): Expr {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  if (depth <= 0 || rand() < 0.2) {
    return rand() < 0.5
      ? { op: 'var', name: pick(VARS) }
      : { op: 'num', value: rand() < 0.5 ? pick(CONSTANTS) : Math.round((rand() - 0.5) * 2000) / 100 };
  }
  const sub = () => randomTree(rand, depth - 1);
  switch (Math.floor(rand() * 9)) {
    case 0:
      return { op: 'neg', a: sub() };
    case 1:
      return { op: 'add', a: sub(), b: sub() };
    case 2:
      return { op: 'sub', a: sub(), b: sub() };
    case 3:
      return { op: 'mul', a: sub(), b: sub() };
    case 4:
      return { op: 'div', a: sub(), b: sub() };
    case 5:
      return {
        op: 'pow',
        a: sub(),
        b: rand() < 0.5 ? { op: 'var', name: pick(VARS) } : { op: 'num', value: 0.5 + Math.floor(rand() * 4) },
      };
    case 6:
      return { op: 'powi', a: sub(), n: Math.floor(rand() * 15) - 5 };
    default: {
      const fn = pick(FNS);
      return { op: 'call', fn, args: Array.from({ length: FUNCTIONS[fn] }, sub) };
    }
  }
}

const randomEnv = (rand: () => number) => ({ x: (rand() - 0.5) * 4, y: rand() * 3 + 0.1, z: (rand() - 0.5) * 10 });

/** Same number, or both NaN; relative tolerance for reassociated arithmetic. */
function close(a: number, b: number, tol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}

function hasOp(e: Expr, op: Expr['op']): boolean {
  if (e.op === op) return true;
  switch (e.op) {
    case 'num':
    case 'var':
      return false;
    case 'neg':
    case 'powi':
      return hasOp(e.a, op);
    case 'call':
      return e.args.some((x) => hasOp(x, op));
    default:
      return hasOp(e.a, op) || hasOp(e.b, op);
  }
}

function runProgram(p: Program, env: Record<string, number>): number[] {
  const { statements, outputs } = programToJS(p, { name: (v) => `env.${v}` });
  const body = `${JS_PRELUDE}\n${statements.join('\n')}\nreturn [${outputs.join(', ')}];`;
  return new Function('env', body)(env) as number[];
}

describe('random trees', () => {
  const trees = (seed: number, count: number, depth = 5) => {
    const rand = rng(seed);
    return Array.from({ length: count }, () => ({ e: randomTree(rand, depth), env: randomEnv(rand) }));
  };

  it('simplify is idempotent', () => {
    for (const { e } of trees(11, 400)) {
      const s = simplify(e);
      expect(exprEquals(simplify(s), s), formatExpression(e)).toBe(true);
    }
  });

  it('simplify preserves values where the original is finite (allowing rounding from regrouped constants)', () => {
    let compared = 0;
    for (const { e, env } of trees(12, 400)) {
      const v = evaluate(e, env);
      if (!Number.isFinite(v)) continue;
      const s = evaluate(simplify(e), env);
      compared++;
      expect(close(v, s, 1e-9), `${formatExpression(e)} -> ${formatExpression(simplify(e))}`).toBe(true);
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('format -> parse round-trips to an equal tree', () => {
    for (const { e } of trees(13, 400)) {
      const text = formatExpression(e);
      const back = parseExpression(text, { variables: VARS, field: 'f' });
      expect(exprEquals(back, e), text).toBe(true);
    }
  });

  it('format round-trips simplified trees too', () => {
    for (const { e } of trees(14, 200)) {
      const s = simplify(e);
      expect(exprEquals(parseExpression(formatExpression(s), { variables: VARS, field: 'f' }), s)).toBe(true);
    }
  });

  it('buildProgram + programToJS computes what evaluate computes, with no powi', () => {
    let compared = 0;
    const all = trees(15, 300);
    for (let i = 0; i + 2 < all.length; i += 3) {
      const outs = [all[i]!.e, all[i + 1]!.e, simplify(all[i + 2]!.e)];
      const p = buildProgram(outs);
      for (const t of p.temps) expect(hasOp(t.expr, 'powi')).toBe(false);
      for (const o of p.outputs) expect(hasOp(o, 'powi')).toBe(false);
      const env = all[i]!.env;
      const got = runProgram(p, env);
      outs.forEach((o, k) => {
        const want = evaluate(o, env);
        compared++;
        expect(close(got[k]!, want, 1e-12), formatExpression(o)).toBe(true);
      });
    }
    expect(compared).toBeGreaterThan(250);
  });
});

describe('buildProgram', () => {
  const parse = (s: string) => parseExpression(s, { variables: ['r', 'x', 'y', 'sig', 'eps', '_t0'], field: 'f' });

  it('shares a repeated subtree once, across outputs too', () => {
    const a = parse('sin(x*y) + sin(x*y)^3');
    const b = parse('cos(x) * sin(x*y)');
    const p = buildProgram([a, b]);
    const sinTemps = p.temps.filter((t) => t.expr.op === 'call' && t.expr.fn === 'sin');
    expect(sinTemps).toHaveLength(1);
    expect(sinTemps[0]!.expr).toEqual({
      op: 'call',
      fn: 'sin',
      args: [{ op: 'mul', a: { op: 'var', name: 'x' }, b: { op: 'var', name: 'y' } }],
    });
    const s = sinTemps[0]!.name;
    expect(p.outputs[1]).toEqual({ op: 'mul', a: { op: 'call', fn: 'cos', args: [{ op: 'var', name: 'x' }] }, b: { op: 'var', name: s } });
    expect(runProgram(p, { x: 0.3, y: 2 })).toEqual([evaluate(a, { x: 0.3, y: 2 }), evaluate(b, { x: 0.3, y: 2 })]);
  });

  it('expands integer powers by repeated squaring into temps (the Lennard-Jones x^12, x^6)', () => {
    const lj = parse('4*eps*((sig/r)^12 - (sig/r)^6)');
    const p = buildProgram([lj]);
    const names = new Map(p.temps.map((t) => [t.name, t.expr]));
    // sig/r, its square, fourth power and eighth power... each computed once.
    const base = p.temps.find((t) => t.expr.op === 'div')!;
    expect(base.expr).toEqual({ op: 'div', a: { op: 'var', name: 'sig' }, b: { op: 'var', name: 'r' } });
    const square = p.temps.find((t) =>
      exprEquals(t.expr, { op: 'mul', a: { op: 'var', name: base.name }, b: { op: 'var', name: base.name } }),
    );
    expect(square).toBeDefined();
    // 6 multiplications for x^12 and x^6 together at most: x2, x4, x8, x12=x4*x8, x6=x2*x4.
    const muls = [...p.temps.map((t) => t.expr), ...p.outputs].reduce((s, e) => s + countOp(e, 'mul'), 0);
    expect(muls).toBeLessThanOrEqual(7);
    expect(names.size).toBe(p.temps.length);
    const env = { sig: 1.1, r: 1.3, eps: 0.7 };
    expect(runProgram(p, env)[0]).toBeCloseTo(evaluate(lj, env), 13);
  });

  it('negative powers become 1/(...), temps precede their uses, names skip free variables', () => {
    const e = parse('(x + y)^-3 + _t0');
    const p = buildProgram([e]);
    expect(p.temps.map((t) => t.name)).not.toContain('_t0');
    const seen = new Set<string>(['x', 'y', '_t0']);
    for (const t of p.temps) {
      for (const v of varsOf(t.expr)) expect(seen.has(v), v).toBe(true);
      seen.add(t.name);
    }
    expect(JSON.stringify(p)).toContain('"op":"div"');
    expect(runProgram(p, { x: 0.5, y: 1, _t0: 2 })[0]).toBeCloseTo(evaluate(e, { x: 0.5, y: 1, _t0: 2 }), 14);
  });

  it('a custom prefix, and a program without sharing has no temps', () => {
    const p = buildProgram([parse('x*y + sin(x)')], { prefix: 'q' });
    expect(p.temps).toEqual([]);
    const q = buildProgram([parse('exp(x) + exp(x)')], { prefix: 'q' });
    expect(q.temps.map((t) => t.name)).toEqual(['q0']);
    expect(q.outputs[0]).toEqual({ op: 'add', a: { op: 'var', name: 'q0' }, b: { op: 'var', name: 'q0' } });
  });
});

function countOp(e: Expr, op: Expr['op']): number {
  const self = e.op === op ? 1 : 0;
  switch (e.op) {
    case 'num':
    case 'var':
      return self;
    case 'neg':
    case 'powi':
      return self + countOp(e.a, op);
    case 'call':
      return self + e.args.reduce((s, x) => s + countOp(x, op), 0);
    default:
      return self + countOp(e.a, op) + countOp(e.b, op);
  }
}

function varsOf(e: Expr): string[] {
  switch (e.op) {
    case 'num':
      return [];
    case 'var':
      return [e.name];
    case 'neg':
    case 'powi':
      return varsOf(e.a);
    case 'call':
      return e.args.flatMap(varsOf);
    default:
      return [...varsOf(e.a), ...varsOf(e.b)];
  }
}
