import { erf, erfc, powInt, unreachable, type Expr, type PeriodicBox, type Program } from '@brokenrecord/core';
import { HALF_SHELL } from '../kernels/pair-grid.js';
import type { Workspace } from '../workspace.js';
import type { ForceKernels, GridKernel, ParticleKernel, RangeKernel } from './kernels.js';
import type { BondSpec, ForceSpec, PairLoopSpec, ParticleSpec, TwoBodyProgram } from './spec.js';

/**
 * The expression kernels without code generation (a strict Content-Security-Policy forbids
 * `new Function`): each tree is compiled once into closures over a Float64Array of variable
 * slots, and the loops below are written out by hand. Each loop is the twin of one in js.ts,
 * with the same operations in the same order, so both agree bitwise.
 */

type Node = (env: Float64Array) => number;

/** Variable and temporary slots of one kernel's environment. */
class Slots {
  readonly #index = new Map<string, number>();
  get(name: string): number {
    let k = this.#index.get(name);
    if (k === undefined) {
      k = this.#index.size;
      this.#index.set(name, k);
    }
    return k;
  }
  get size(): number {
    return this.#index.size;
  }
}

function compileExpr(e: Expr, slots: Slots): Node {
  switch (e.op) {
    case 'num': {
      const v = e.value;
      return () => v;
    }
    case 'var': {
      const k = slots.get(e.name);
      return (env) => env[k];
    }
    case 'neg': {
      const a = compileExpr(e.a, slots);
      return (env) => -a(env);
    }
    case 'add': {
      const a = compileExpr(e.a, slots),
        b = compileExpr(e.b, slots);
      return (env) => a(env) + b(env);
    }
    case 'sub': {
      const a = compileExpr(e.a, slots),
        b = compileExpr(e.b, slots);
      return (env) => a(env) - b(env);
    }
    case 'mul': {
      const a = compileExpr(e.a, slots),
        b = compileExpr(e.b, slots);
      return (env) => a(env) * b(env);
    }
    case 'div': {
      const a = compileExpr(e.a, slots),
        b = compileExpr(e.b, slots);
      return (env) => a(env) / b(env);
    }
    case 'pow': {
      const a = compileExpr(e.a, slots),
        b = compileExpr(e.b, slots);
      return (env) => Math.pow(a(env), b(env));
    }
    case 'powi': {
      // Programs expand integer powers into multiplications (buildProgram); a bare powi is
      // evaluated by the same repeated squaring.
      const a = compileExpr(e.a, slots);
      const n = e.n;
      return (env) => powInt(a(env), n);
    }
    case 'call':
      return compileCall(
        e.fn,
        e.args.map((x) => compileExpr(x, slots)),
      );
    default:
      return unreachable(e, 'expression node');
  }
}

function compileCall(fn: Extract<Expr, { op: 'call' }>['fn'], args: Node[]): Node {
  const a = args[0]!;
  const one =
    (f: (x: number) => number): Node =>
    (env) =>
      f(a(env));
  switch (fn) {
    case 'sqrt':
      return one(Math.sqrt);
    case 'exp':
      return one(Math.exp);
    case 'log':
      return one(Math.log);
    case 'sin':
      return one(Math.sin);
    case 'cos':
      return one(Math.cos);
    case 'tan':
      return one(Math.tan);
    case 'asin':
      return one(Math.asin);
    case 'acos':
      return one(Math.acos);
    case 'atan':
      return one(Math.atan);
    case 'sinh':
      return one(Math.sinh);
    case 'cosh':
      return one(Math.cosh);
    case 'tanh':
      return one(Math.tanh);
    case 'erf':
      return one(erf);
    case 'erfc':
      return one(erfc);
    case 'abs':
      return one(Math.abs);
    case 'floor':
      return one(Math.floor);
    case 'ceil':
      return one(Math.ceil);
    case 'step':
      return (env) => (a(env) >= 0 ? 1 : 0);
    case 'min': {
      const b = args[1]!;
      return (env) => Math.min(a(env), b(env));
    }
    case 'max': {
      const b = args[1]!;
      return (env) => Math.max(a(env), b(env));
    }
    case 'select': {
      const b = args[1]!,
        c = args[2]!;
      return (env) => (a(env) !== 0 ? b(env) : c(env));
    }
    default:
      return unreachable(fn, 'function');
  }
}

/** A program as closures: `run(env)` stores every temp into its slot; `outputs[k](env)` reads them. */
interface Compiled {
  run: (env: Float64Array) => void;
  outputs: Node[];
}

function compileProgram(p: Program, slots: Slots): Compiled {
  const targets = Int32Array.from(p.temps, (t) => slots.get(t.name));
  const temps = p.temps.map((t) => compileExpr(t.expr, slots));
  const outputs = p.outputs.map((o) => compileExpr(o, slots));
  const count = temps.length;
  return {
    run(env) {
      for (let k = 0; k < count; k++) env[targets[k]] = temps[k](env);
    },
    outputs,
  };
}

function particleColumn(ws: Workspace, source: ParticleSpec['variables'][number]['source']): Float32Array | null {
  switch (source.from) {
    case 'x':
      return ws.px;
    case 'y':
      return ws.py;
    case 'z':
      return ws.pz;
    case 'vx':
      return ws.vx;
    case 'vy':
      return ws.vy;
    case 'vz':
      return ws.vz;
    case 'm':
      return ws.mass;
    case 'radius':
      return ws.radius;
    case 't':
      return null;
    case 'attribute':
      return ws.attributes[source.name]!;
    default:
      return unreachable(source, 'variable source');
  }
}

function particleKernel(spec: ParticleSpec, target: 'f' | 'a'): ParticleKernel {
  const slots = new Slots();
  const reads = Int32Array.from(spec.variables, (v) => slots.get(v.name));
  const prog = compileProgram(spec.program, slots);
  const terms = spec.perMass.length;
  const perMass = spec.perMass;
  const out = prog.outputs;
  const env = new Float64Array(slots.size);
  return (ws, lo, hi, t) => {
    const cols = spec.variables.map((v) => particleColumn(ws, v.source));
    const { mass } = ws;
    const tx = target === 'f' ? ws.fx : ws.ax,
      ty = target === 'f' ? ws.fy : ws.ay,
      tz = target === 'f' ? ws.fz : ws.az;
    for (let i = lo; i < hi; i++) {
      for (let k = 0; k < reads.length; k++) {
        const col = cols[k];
        env[reads[k]] = col === null ? t : col[i];
      }
      prog.run(env);
      const mi = mass[i];
      let sumX = tx[i],
        sumY = ty[i],
        sumZ = tz[i];
      for (let k = 0; k < terms; k++) {
        if (perMass[k]) {
          sumX += out[3 * k](env) / mi;
          sumY += out[3 * k + 1](env) / mi;
          sumZ += out[3 * k + 2](env) / mi;
        } else {
          sumX += out[3 * k](env);
          sumY += out[3 * k + 1](env);
          sumZ += out[3 * k + 2](env);
        }
      }
      tx[i] = sumX;
      ty[i] = sumY;
      tz[i] = sumZ;
    }
  };
}

/** Kinds of two-body reads, as small integers for the inner loops. */
const R = 0,
  R2 = 1,
  IR2 = 2,
  I_SIDE = 3,
  J_SIDE = 4,
  BOND = 5;

interface TermEval {
  /** The term tests r² against its own cutoff (beyond the loop's test). */
  cut: boolean;
  cutoff2: number;
  exclude: boolean;
  kinds: Int32Array;
  /** Slot in env of each read. */
  targets: Int32Array;
  /** Packed slot (pair loops), column number (bonds) or per-bond column number. */
  where: Int32Array;
  prog: Compiled;
}

function termEval(
  term: TwoBodyProgram,
  reach2: number | null,
  slots: Slots,
  column: (base: string) => number,
  bondParam: (name: string) => number,
): TermEval {
  const kinds = new Int32Array(term.variables.length);
  const where = new Int32Array(term.variables.length);
  term.variables.forEach((v, k) => {
    const s = v.source;
    switch (s.from) {
      case 'r':
        kinds[k] = R;
        break;
      case 'r2':
        kinds[k] = R2;
        break;
      case 'ir2':
        kinds[k] = IR2;
        break;
      case 'i':
        kinds[k] = I_SIDE;
        where[k] = column(s.base) >= 0 ? column(s.base) : s.slot;
        break;
      case 'j':
        kinds[k] = J_SIDE;
        where[k] = column(s.base) >= 0 ? column(s.base) : s.slot;
        break;
      case 'bond':
        kinds[k] = BOND;
        where[k] = bondParam(s.name);
        break;
      default:
        unreachable(s, 'variable source');
    }
  });
  return {
    cut: term.cutoff2 !== null && term.cutoff2 !== reach2,
    cutoff2: term.cutoff2 ?? 0,
    exclude: term.exclude,
    kinds,
    targets: Int32Array.from(term.variables, (v) => slots.get(v.name)),
    where,
    prog: compileProgram(term.program, slots),
  };
}

/**
 * fScale of one term for the pair (packed bases bi, bj), or undefined when the term's own guards
 * (cutoff, exclusion) skip it; mirrors twoBodyTerm in js.ts.
 */
function pairTerm(term: TermEval, env: Float64Array, P: Float64Array, bi: number, bj: number, r2: number): number {
  const { kinds, targets, where } = term;
  for (let k = 0; k < kinds.length; k++) {
    switch (kinds[k]) {
      case R:
        env[targets[k]] = Math.sqrt(r2);
        break;
      case R2:
        env[targets[k]] = r2;
        break;
      case IR2:
        env[targets[k]] = 1 / r2;
        break;
      case I_SIDE:
        env[targets[k]] = P[bi + 3 + where[k]];
        break;
      default:
        env[targets[k]] = P[bj + 3 + where[k]];
    }
  }
  term.prog.run(env);
  return term.prog.outputs[0](env);
}

function bondedIn(ws: Workspace, i: number, j: number): boolean {
  const { start, list } = ws.topology.exclusions!;
  for (let e = start[i], ee = start[i + 1]; e < ee; e++) if (list[e] === j) return true;
  return false;
}

interface PairEval {
  terms: TermEval[];
  env: Float64Array;
  /** The loop tests r² against the largest cutoff (every term has one). */
  reach: boolean;
  reach2: number;
}

function pairEval(loop: PairLoopSpec): PairEval {
  const slots = new Slots();
  const terms = loop.terms.map((t) =>
    termEval(
      t,
      loop.reach2,
      slots,
      () => -1,
      () => -1,
    ),
  );
  return { terms, env: new Float64Array(slots.size), reach: loop.reach2 !== null, reach2: loop.reach2 ?? 0 };
}

/** `s` of one pair over the loop's terms (0 when every term skips it). */
function pairScale(pe: PairEval, P: Float64Array, bi: number, bj: number, r2: number, ws: Workspace, ii: number, jj: number): number {
  let s = 0;
  for (const term of pe.terms) {
    if (term.cut && !(r2 < term.cutoff2)) continue;
    if (term.exclude && bondedIn(ws, ii, jj)) continue;
    s += pairTerm(term, pe.env, P, bi, bj, r2);
  }
  return s;
}

function gridKernel(loop: PairLoopSpec, box: PeriodicBox | null): GridKernel {
  const pe = pairEval(loop);
  const S = loop.stride;
  const reach2 = pe.reach2;
  const [Lx, Ly, Lz] = box ? box.length : [0, 0, 0];
  const H = HALF_SHELL;
  return (ws, cLo, cHi, buf) => {
    const G = ws.pair!,
      P = G.gridPack,
      start = G.cellStart,
      order = G.order,
      gp = G.params;
    const nx = gp[0],
      ny = gp[1],
      nz = gp[2];
    for (let c = cLo; c < cHi; c++) {
      const s0 = start[c],
        s1 = start[c + 1];
      if (s0 === s1) continue;
      const cx = c % nx,
        cyz = (c - cx) / nx,
        cy = cyz % ny,
        cz = (cyz - cy) / ny;
      for (let nb = 0; nb < H.length; nb += 3) {
        let gx = cx + H[nb],
          gy = cy + H[nb + 1],
          gz = cz + H[nb + 2];
        let shx = 0,
          shy = 0,
          shz = 0;
        if (box) {
          if (gx < 0) {
            gx += nx;
            shx = -Lx;
          } else if (gx >= nx) {
            gx -= nx;
            shx = Lx;
          }
          if (gy < 0) {
            gy += ny;
            shy = -Ly;
          } else if (gy >= ny) {
            gy -= ny;
            shy = Ly;
          }
          if (gz < 0) {
            gz += nz;
            shz = -Lz;
          } else if (gz >= nz) {
            gz -= nz;
            shz = Lz;
          }
        } else if (gx < 0 || gx >= nx || gy < 0 || gy >= ny || gz < 0 || gz >= nz) continue;
        const nc = gx + nx * (gy + ny * gz);
        const t0 = start[nc],
          t1 = start[nc + 1];
        for (let si = s0; si < s1; si++) {
          const b = S * si;
          const xi = box ? P[b] - shx : P[b],
            yi = box ? P[b + 1] - shy : P[b + 1],
            zi = box ? P[b + 2] - shz : P[b + 2];
          const ii = order[si];
          let sumX = 0,
            sumY = 0,
            sumZ = 0;
          for (let sj = nb === 0 ? si + 1 : t0; sj < t1; sj++) {
            const k = S * sj;
            const dx = P[k] - xi,
              dy = P[k + 1] - yi,
              dz = P[k + 2] - zi;
            const r2 = dx * dx + dy * dy + dz * dz;
            if (r2 < reach2) {
              const s = pairScale(pe, P, b, k, r2, ws, ii, order[sj]);
              sumX += s * dx;
              sumY += s * dy;
              sumZ += s * dz;
              const q = 3 * sj;
              buf[q] -= s * dx;
              buf[q + 1] -= s * dy;
              buf[q + 2] -= s * dz;
            }
          }
          const q = 3 * si;
          buf[q] += sumX;
          buf[q + 1] += sumY;
          buf[q + 2] += sumZ;
        }
      }
    }
  };
}

function rowKernel(loop: PairLoopSpec, box: PeriodicBox | null): RangeKernel {
  const pe = pairEval(loop);
  const S = loop.stride;
  const reach = pe.reach,
    reach2 = pe.reach2;
  const [Lx, Ly, Lz] = box ? box.length : [0, 0, 0];
  return (ws, lo, hi, buf) => {
    const P = ws.pair!.rowPack,
      n = ws.count;
    for (let i = lo; i < hi; i++) {
      const b = S * i;
      const xi = P[b],
        yi = P[b + 1],
        zi = P[b + 2];
      let sumX = 0,
        sumY = 0,
        sumZ = 0;
      for (let j = i + 1; j < n; j++) {
        const k = S * j;
        let dx = P[k] - xi,
          dy = P[k + 1] - yi,
          dz = P[k + 2] - zi;
        if (box) {
          dx -= Lx * Math.round(dx / Lx);
          dy -= Ly * Math.round(dy / Ly);
          dz -= Lz * Math.round(dz / Lz);
        }
        const r2 = dx * dx + dy * dy + dz * dz;
        if (!reach || r2 < reach2) {
          const s = pairScale(pe, P, b, k, r2, ws, i, j);
          sumX += s * dx;
          sumY += s * dy;
          sumZ += s * dz;
          const q = 3 * j;
          buf[q] -= s * dx;
          buf[q + 1] -= s * dy;
          buf[q + 2] -= s * dz;
        }
      }
      const q = 3 * i;
      buf[q] += sumX;
      buf[q + 1] += sumY;
      buf[q + 2] += sumZ;
    }
  };
}

function bondKernel(spec: BondSpec, box: PeriodicBox | null): RangeKernel {
  const slots = new Slots();
  const bases = [...new Set(spec.variables.flatMap((v) => (v.source.from === 'i' || v.source.from === 'j' ? [v.source.base] : [])))];
  const perBond = [...new Set(spec.variables.flatMap((v) => (v.source.from === 'bond' ? [v.source.name] : [])))];
  const term = termEval(
    spec,
    null,
    slots,
    (base) => bases.indexOf(base),
    (name) => perBond.indexOf(name),
  );
  const env = new Float64Array(slots.size);
  const { kinds, targets, where, prog } = term;
  const out = prog.outputs[0];
  const [Lx, Ly, Lz] = box ? box.length : [0, 0, 0];
  return (ws, lo, hi, buf) => {
    const T = ws.topology.bonds[spec.term],
      bi = T.i,
      bj = T.j;
    const { px, py, pz } = ws;
    const cols = bases.map((base) => (base === 'm' ? ws.mass : base === 'radius' ? ws.radius : ws.attributes[base]!));
    const pars = perBond.map((name) => T.params[name]!);
    for (let b = lo; b < hi; b++) {
      const i = bi[b],
        j = bj[b];
      let dx = px[j] - px[i],
        dy = py[j] - py[i],
        dz = pz[j] - pz[i];
      if (box) {
        dx -= Lx * Math.round(dx / Lx);
        dy -= Ly * Math.round(dy / Ly);
        dz -= Lz * Math.round(dz / Lz);
      }
      const r2 = dx * dx + dy * dy + dz * dz;
      for (let k = 0; k < kinds.length; k++) {
        switch (kinds[k]) {
          case R:
            env[targets[k]] = Math.sqrt(r2);
            break;
          case R2:
            env[targets[k]] = r2;
            break;
          case IR2:
            env[targets[k]] = 1 / r2;
            break;
          case I_SIDE:
            env[targets[k]] = cols[where[k]][i];
            break;
          case J_SIDE:
            env[targets[k]] = cols[where[k]][j];
            break;
          default:
            env[targets[k]] = pars[where[k]][b];
        }
      }
      prog.run(env);
      const s = out(env);
      const qi = 3 * i,
        qj = 3 * j;
      buf[qi] += s * dx;
      buf[qi + 1] += s * dy;
      buf[qi + 2] += s * dz;
      buf[qj] -= s * dx;
      buf[qj + 1] -= s * dy;
      buf[qj + 2] -= s * dz;
    }
  };
}

/** The interpreted kernels of a system (see ForceKernels). */
export function interpretForces(spec: ForceSpec): ForceKernels {
  return {
    mode: 'interpreter',
    particle: spec.particle && particleKernel(spec.particle, 'f'),
    velocity: spec.velocity && particleKernel(spec.velocity, 'a'),
    pairGrid: spec.grid && gridKernel(spec.grid, spec.periodic),
    pairRows: spec.rows && rowKernel(spec.rows, null),
    pairRowsPeriodic: spec.periodicRows && rowKernel(spec.periodicRows, spec.periodic),
    bonds: spec.bonds.map((b) => bondKernel(b, spec.periodic)),
  };
}
