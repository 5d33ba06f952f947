import {
  evaluate,
  nearestImage,
  type Expr,
  type KernelPlan,
  type ParticleState,
  type Simulation,
  type TwoBodyTerm,
} from '@brokenrecord/core';
import { expect } from 'vitest';
import { U } from './float32.js';

/**
 * Forces of the rules written as expressions, three ways: what a backend applied (read back from
 * one Euler step from rest), the negative gradient of core's reference energy by finite differences,
 * and a brute-force float64 sum over the plan's force trees (every pair, nearest image by hand),
 * with the magnitude of the terms each sum adds up, from which float32 tolerances are derived.
 */

export type Vec3Columns = [Float64Array, Float64Array, Float64Array];

const POSITION = ['px', 'py', 'pz'] as const;
const VELOCITY = ['vx', 'vy', 'vz'] as const;

/**
 * The force a backend applied to every particle: the simulation (an `euler` system, started with
 * every velocity zero) takes one step, and semi-implicit Euler gives v₁ = a·dt exactly up to the
 * float32 rounding of a and of the product, so F = m·v₁/dt. With dt a power of two the product
 * rounds nothing more.
 */
export async function forcesFromOneEulerStep(sim: Simulation): Promise<Vec3Columns> {
  const before = await sim.read();
  for (const c of VELOCITY) {
    for (let i = 0; i < before.count; i++) expect(before.column(c)[i], `initial ${c}[${i}] (the force is read from v₁ = a·dt)`).toBe(0);
  }
  await sim.step(1);
  const after = await sim.read();
  const out: Vec3Columns = [new Float64Array(after.count), new Float64Array(after.count), new Float64Array(after.count)];
  VELOCITY.forEach((c, k) => {
    const v = after.column(c);
    for (let i = 0; i < after.count; i++) out[k][i] = (after.mass[i] * v[i]) / sim.dt;
  });
  return out;
}

export interface FiniteDifference {
  /** −∂E/∂x (Richardson-extrapolated central differences). */
  value: number;
  /** A bound on its error: the truncation estimate plus float64 cancellation in E(x + h) − E(x − h). */
  error: number;
}

/**
 * −∂E/∂(axis of particle i) from central differences D(h) = (E(x+h) − E(x−h))/2h at h, h/2 and
 * h/4, Richardson-extrapolated: R(h) = (4D(h/2) − D(h))/3 has an O(h⁴) error, so the error of
 * R(h/2) is about |R(h) − R(h/2)|/15; the full difference is taken as the bound (15× margin). The
 * displaced coordinates must be exact in float32 (positions and h on a common power-of-two grid):
 * the state stores float32, and a rounded displacement would be a different h. `energyScale` is
 * Σ|terms| of E, against which float64 cancellation (≤ 4·2⁻⁵³·scale per difference) is measured.
 */
export function finiteDifferenceForce(
  energy: (state: ParticleState) => number,
  state: ParticleState,
  i: number,
  axis: 0 | 1 | 2,
  h: number,
  energyScale: number,
): FiniteDifference {
  const column = state.column(POSITION[axis]);
  const x0 = column[i];
  const at = (offset: number) => {
    const x = x0 + offset;
    if (Math.fround(x) !== x)
      throw new Error(`finiteDifferenceForce: ${x0} + ${offset} is not a float32 value; put positions on a grid of h/4`);
    column[i] = x;
    const e = energy(state);
    column[i] = x0;
    return e;
  };
  const D = (step: number) => (at(step) - at(-step)) / (2 * step);
  const d1 = D(h);
  const d2 = D(h / 2);
  const d4 = D(h / 4);
  const r1 = (4 * d2 - d1) / 3;
  const r2 = (4 * d4 - d2) / 3;
  const cancellation = (4 * 2 ** -53 * energyScale) / (h / 4);
  return { value: -r2, error: Math.abs(r1 - r2) + cancellation };
}

/** Values a two-body expression reads for the pair (i, j) at distance r (and bond b's per-bond values). */
export function twoBodyEnvironment(
  term: TwoBodyTerm & { perBond?: readonly string[]; group?: string },
  state: ParticleState,
  i: number,
  j: number,
  r: number,
  bond?: number,
): Record<string, number> {
  const env: Record<string, number> = { r, m1: state.mass[i], m2: state.mass[j], radius1: state.radius[i], radius2: state.radius[j] };
  for (const c of term.columns) {
    const col = state.attribute(c);
    env[`${c}1`] = col[i];
    env[`${c}2`] = col[j];
  }
  if (bond !== undefined && term.group !== undefined) {
    const table = state.bonds(term.group)!;
    for (const name of term.perBond ?? []) env[name] = table.params[name][bond];
  }
  return env;
}

/**
 * The force of one pair along d = x_j − x_i: f = fScale·r (positive: attraction of i towards j),
 * and the magnitude float32 rounding is measured against, |f| + r·|∂f/∂r|. The second part
 * covers the rounding of r itself (a relative error of a few U moves f by r|f'| times that) and
 * bounds the size of the sub-terms the expression adds up: for a sum of powers c·r⁻ⁿ it is at
 * least Σ|terms|, so a well bottom where 12/r¹³ and 6/r⁷ cancel is not measured against f ≈ 0.
 */
export function pairForceAlong(fScale: Expr, env: Record<string, number>): { f: number; slack: number } {
  const r = env.r;
  const f = (at: number) => evaluate(fScale, { ...env, r: at }) * at;
  const h = r * 1e-6;
  const value = f(r);
  const slope = (f(r + h) - f(r - h)) / (2 * h);
  return { f: value, slack: Math.abs(value) + Math.abs(r * slope) };
}

export interface ReferenceForces {
  force: Vec3Columns;
  /** Per particle and component: Σ over its terms of (|term| + sensitivity), see pairForceAlong. */
  slack: Vec3Columns;
  /** Per particle: how many terms its force sums (the length of the float32 summation). */
  terms: Int32Array;
  /** Σ of the energy terms (pairs, bonds, particles) of the same brute-force loops, float64. */
  potential: number;
  /** Σ|energy term|, what float64 cancellation and float32 reductions of the potential scale with. */
  potentialMagnitude: number;
  /** How many energy terms the potential sums. */
  potentialTerms: number;
}

/**
 * Float64 forces of the plan's expression terms (pairs, bonds, external; fields as m·a) computed
 * the plain way: every pair i < j, nearest image `d − L·round(d/L)` when periodic, strict cutoff,
 * pairs joined by a bond skipped where the term excludes them; no grid, no neighbour list.
 */
export function referenceForces(plan: KernelPlan, state: ParticleState, time = 0): ReferenceForces {
  const n = state.count;
  const force: Vec3Columns = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const slack: Vec3Columns = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const terms = new Int32Array(n);
  let potential = 0;
  let potentialMagnitude = 0;
  let potentialTerms = 0;
  const addEnergy = (e: number) => {
    potential += e;
    potentialMagnitude += Math.abs(e);
    potentialTerms++;
  };
  const { px, py, pz } = state;
  const image = plan.periodic ? nearestImage(plan.periodic) : null;
  const separation = (i: number, j: number): [number, number, number] => {
    const d: [number, number, number] = [px[j] - px[i], py[j] - py[i], pz[j] - pz[i]];
    return image ? image(d[0], d[1], d[2]) : d;
  };
  const addPair = (i: number, j: number, d: readonly number[], r: number, f: number, s: number) => {
    for (let k = 0; k < 3; k++) {
      force[k][i] += (f * d[k]) / r;
      force[k][j] -= (f * d[k]) / r;
      slack[k][i] += (s * Math.abs(d[k])) / r;
      slack[k][j] += (s * Math.abs(d[k])) / r;
    }
    terms[i]++;
    terms[j]++;
  };

  const bonded = new Set<number>();
  for (const group of state.bondGroups) {
    const table = state.bonds(group)!;
    for (let b = 0; b < table.count; b++) bonded.add(Math.min(table.i[b], table.j[b]) * n + Math.max(table.i[b], table.j[b]));
  }
  for (const term of plan.pairs) {
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        if (term.excludeBonds && bonded.has(i * n + j)) continue;
        const d = separation(i, j);
        const r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
        if (term.cutoff !== null && !(r2 < term.cutoff * term.cutoff)) continue;
        const r = Math.sqrt(r2);
        const env = twoBodyEnvironment(term, state, i, j, r);
        const { f, slack: s } = pairForceAlong(term.fScale, env);
        addPair(i, j, d, r, f, s);
        addEnergy(evaluate(term.energy, env));
      }
    }
  }
  for (const term of plan.bonds) {
    const table = state.bonds(term.group);
    if (!table) continue;
    for (let b = 0; b < table.count; b++) {
      const i = table.i[b];
      const j = table.j[b];
      const d = separation(i, j);
      const r = Math.hypot(d[0], d[1], d[2]);
      const env = twoBodyEnvironment(term, state, i, j, r, b);
      const { f, slack: s } = pairForceAlong(term.fScale, env);
      addPair(i, j, d, r, f, s);
      addEnergy(evaluate(term.energy, env));
    }
  }
  const oneBody = (trees: readonly Expr[], columns: readonly string[], scale: (i: number) => number, energy: Expr | null) => {
    for (let i = 0; i < n; i++) {
      const env: Record<string, number> = {
        x: px[i],
        y: py[i],
        z: pz[i],
        vx: state.vx[i],
        vy: state.vy[i],
        vz: state.vz[i],
        t: time,
        m: state.mass[i],
        radius: state.radius[i],
      };
      for (const c of columns) env[c] = state.attribute(c)[i];
      if (energy) addEnergy(evaluate(energy, env));
      trees.forEach((tree, k) => {
        const value = scale(i) * evaluate(tree, env);
        // Sensitivity to a relative change of each input: Σ_l |x_l·∂F/∂x_l| (with |F| itself) bounds
        // the sub-terms of a polynomial-like expression, as for pairs.
        let sensitivity = Math.abs(value);
        for (const name of ['x', 'y', 'z', 'vx', 'vy', 'vz']) {
          const v = env[name];
          if (v === 0) continue;
          const h = Math.abs(v) * 1e-6;
          const up = scale(i) * evaluate(tree, { ...env, [name]: v + h });
          const down = scale(i) * evaluate(tree, { ...env, [name]: v - h });
          sensitivity += Math.abs((v * (up - down)) / (2 * h));
        }
        force[k][i] += value;
        slack[k][i] += sensitivity;
      });
      terms[i]++;
    }
  };
  for (const term of plan.external) oneBody(term.force, term.columns, () => 1, term.energy);
  for (const term of plan.fields) oneBody(term.acceleration, term.columns, (i) => state.mass[i], null);
  return { force, slack, terms, potential, potentialMagnitude, potentialTerms };
}

/**
 * How far a backend's float32 force may be from the float64 reference, per particle and
 * component: each term is evaluated with a relative error of at most C·U of its magnitude (the
 * rounding of d and r, then a few dozen operations; WGSL's exp and log are accurate to 3 + 2|x|
 * ulps, not ½), C = 64; the sum of `terms` values adds at most terms·U of Σ|term| (recursive
 * summation); a = F/m and v = a·dt round twice more.
 */
export function float32ForceTolerance(reference: ReferenceForces, i: number, k: number): number {
  const C = 64;
  return (C + reference.terms[i]) * U * reference.slack[k][i] + 2 * U * Math.abs(reference.force[k][i]);
}
