import { compileKernelPlan, type KernelPlan } from './kernel-plan.js';
import { describe, type Quantity } from './rules/index.js';
import type { ParticleState } from './state.js';
import { checkGenuineState } from './state-check.js';
import { ValidationError } from './errors.js';
import type { SystemDefinition } from './system.js';

export type Vector3 = [number, number, number];

export interface Diagnostics {
  kinetic: number;
  potential: number;
  total: number;
  momentum: Vector3;
  /** About the origin: Σ m x × v. */
  angularMomentum: Vector3;
  centerOfMass: Vector3;
  /** Σ m, handy for scale. */
  mass: number;
  /**
   * Systems with `collisions` only: how many steps of this simulation (since it was created)
   * ended their contact phase at COLLISION_SWEEP_LIMIT sweeps with impulses still being applied,
   * i.e. left some touching pairs approaching (docs/physics.md, "Collisions"). 0 in a healthy run.
   */
  unresolvedContactSteps?: number;
}

/**
 * Reference diagnostics, accumulated in float64 from the float32 state. The potential sums the
 * rules that have one (gravity, and the user's pair, bond and external potentials); contact rules
 * and fields store no energy.
 */
export function computeDiagnostics(
  state: ParticleState,
  system: SystemDefinition,
  time = 0,
  computed?: ReadonlyMap<number, number>,
): Diagnostics {
  checkGenuineState(state);
  if (!system || !Array.isArray(system.rules)) throw new ValidationError('system', 'expected the result of defineSystem()');
  const { px, py, pz, vx, vy, vz, mass } = state;
  const n = state.count;
  let kinetic = 0;
  let M = 0;
  const p: Vector3 = [0, 0, 0];
  const L: Vector3 = [0, 0, 0];
  const c: Vector3 = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const m = mass[i];
    const x = px[i],
      y = py[i],
      z = pz[i];
    const u = vx[i],
      v = vy[i],
      w = vz[i];
    kinetic += 0.5 * m * (u * u + v * v + w * w);
    M += m;
    p[0] += m * u;
    p[1] += m * v;
    p[2] += m * w;
    L[0] += m * (y * w - z * v);
    L[1] += m * (z * u - x * w);
    L[2] += m * (x * v - y * u);
    c[0] += m * x;
    c[1] += m * y;
    c[2] += m * z;
  }
  if (M > 0) for (let k = 0; k < 3; k++) c[k] /= M;
  const potential = potentialEnergy(state, system, time, computed);
  return { kinetic, potential, total: kinetic + potential, momentum: p, angularMomentum: L, centerOfMass: c, mass: M };
}

/**
 * Σ of every rule's reference potential (float64), from each kind's descriptor. `time` matters
 * only for external potentials that depend on t. `computed` holds energies a backend evaluated
 * itself, by rule index, used instead of the reference: pairwiseGravity on the tree reports the
 * tree's potential, consistent with the forces it integrates.
 */
export function potentialEnergy(state: ParticleState, system: SystemDefinition, time = 0, computed?: ReadonlyMap<number, number>): number {
  let plan: KernelPlan | null = null;
  let potential = 0;
  system.rules.forEach((rule, index) => {
    const own = computed?.get(index);
    if (own !== undefined) {
      potential += own;
      return;
    }
    const descriptor = describe(rule);
    if (!descriptor.potential) return;
    plan ??= compileKernelPlan(system, 1);
    potential += descriptor.potential(rule, state, plan, index, time);
  });
  return potential;
}

/**
 * Scale against which a quantity's drift is measured, so that a quantity whose true value is zero
 * (the momentum of a cluster at rest) does not divide by zero: |E| sums magnitudes of kinetic and
 * potential; momenta use Σ m|v| and Σ m|x||v|.
 */
export function driftScale(state: ParticleState, d: Diagnostics, quantity: Quantity): number {
  if (quantity === 'energy') return Math.abs(d.kinetic) + Math.abs(d.potential);
  const { px, py, pz, vx, vy, vz, mass } = state;
  let s = 0;
  for (let i = 0; i < state.count; i++) {
    const speed = Math.hypot(vx[i], vy[i], vz[i]);
    s += quantity === 'momentum' ? mass[i] * speed : mass[i] * speed * Math.hypot(px[i], py[i], pz[i]);
  }
  return s;
}

export function quantityValue(d: Diagnostics, quantity: Quantity): number | Vector3 {
  return quantity === 'energy' ? d.total : quantity === 'momentum' ? d.momentum : d.angularMomentum;
}

/** |Q − Q₀| / scale₀ (vector quantities by Euclidean norm). Zero when both are exactly zero. */
export function relativeDrift(initial: Diagnostics, current: Diagnostics, quantity: Quantity, scale: number): number {
  const a = quantityValue(initial, quantity);
  const b = quantityValue(current, quantity);
  const diff = typeof a === 'number' ? Math.abs((b as number) - a) : Math.hypot(...a.map((v, k) => (b as Vector3)[k] - v));
  if (diff === 0) return 0;
  return scale > 0 ? diff / scale : Infinity;
}
