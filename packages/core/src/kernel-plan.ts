import type { Expr } from './expr/index.js';
import { describe, type PairwiseGravityTerm, type Rule } from './rules/index.js';
import type { SystemDefinition } from './system.js';

/**
 * A pair or bond interaction derived from U(r): the force on i is `fScale · (x_j − x_i)` and on j
 * its negative, with `fScale = U'(r)/r` (negative when repulsive). Expressions read `r`, `m1 m2
 * radius1 radius2` and `<column>1 <column>2`; parameters are already numbers in them.
 */
export interface TwoBodyTerm {
  /** Index of the rule in system.rules. */
  rule: number;
  /** U(r), shifted to 0 at the cutoff when the rule asks for it. */
  energy: Expr;
  fScale: Expr;
  /** Attribute columns read (base names, without the 1/2 suffix). */
  columns: string[];
}

export interface PairTerm extends TwoBodyTerm {
  /** Pairs with r ≥ cutoff do not interact; null: all pairs (no grid). */
  cutoff: number | null;
  /** Skip pairs joined by a bond of any bondForce rule. */
  excludeBonds: boolean;
}

export interface BondTerm extends TwoBodyTerm {
  /** The state's bond table (`state.bonds(group)`). */
  group: string;
  /** Per-bond values the expressions read by their plain name (`state.bonds(group).params[name]`). */
  perBond: string[];
}

/** A potential on each particle alone: force = −∇U. Expressions read `x y z t m radius <column>`. */
export interface ExternalTerm {
  rule: number;
  energy: Expr;
  /** [−∂U/∂x, −∂U/∂y, −∂U/∂z] (a force: divide by m for the acceleration). */
  force: [Expr, Expr, Expr];
  columns: string[];
  usesTime: boolean;
}

/** Accelerations given directly. Expressions read `x y z vx vy vz t m radius <column>`. */
export interface FieldTerm {
  rule: number;
  acceleration: [Expr, Expr, Expr];
  columns: string[];
  /** Reads vx/vy/vz: like drag, evaluated again at every kick (verlet caches only position-dependent forces). */
  usesVelocity: boolean;
  usesTime: boolean;
}

/**
 * Periodic box in float32, as the state: `min` and `max` rounded to float32 and the length
 * `f32(max − min)`. Wrap: x − L·floor((x − min)/L); nearest image of d: d − L·round(d/L)
 * (round half away from zero is not required: |d| = L/2 exactly is either image).
 */
export interface PeriodicBox {
  min: [number, number, number];
  max: [number, number, number];
  length: [number, number, number];
}

/**
 * Soft-sphere contacts (docs/physics.md, "Soft-sphere contacts"). For every pair with
 * `|d|² < (r_i + r_j)²`, `|d|² > 0` (d = x_j − x_i, r = |d|, n = d/r): `δ = r_i + r_j − r`,
 * `u = (v_j − v_i)·n`, `m_eff = m_i·m_j/(m_i + m_j)`, `c = dampingRate·m_eff + dampingRatio·sqrt(k·m_eff)`,
 * `w = 1` (hooke) or `sqrt(δ·r_i·r_j/(r_i + r_j))` (hertz), `F_n = w·(k·δ − c·u)`, and
 * `a_i −= F_n·n/m_i`. Depends on velocities (damping), so it is evaluated at every kick.
 */
export interface ContactTerm {
  rule: number;
  model: 'hooke' | 'hertz';
  /** k: force/length (hooke) or force/area (hertz, LAMMPS kn). */
  stiffness: number;
  /** γ (1/time): the part of c proportional to m_eff (LAMMPS gamma_n). */
  dampingRate: number;
  /** β: the part of c proportional to sqrt(k·m_eff), from a restitution (hooke only; 0 for hertz). */
  dampingRatio: number;
  /** Reserved for tangential spring–dashpot and friction (needs angular velocities): null today. */
  tangential: null;
}

/**
 * A system flattened into what kernels need: the presets as plain numbers (summed or listed, so a
 * kernel never parses rules; the native and CUDA addons read these), and the user's rules as
 * expression trees with parameters substituted, forces already derived (−∇U, simplified), from
 * which every backend generates its code. Built once by core: backends never re-derive it.
 */
export interface KernelPlan {
  integrator: 'euler' | 'verlet';
  dt: number;
  /** Sum of every uniformGravity rule's g, in rule order. */
  gravity: [number, number, number];
  /** Sum of every drag rule's k: a = g − k·v. */
  drag: number;
  /** One term per pairwiseGravity rule: all pairs or the tree (`usesGravityTree(term, count)`). */
  pairwise: PairwiseGravityTerm[];
  /** Restitution of the collisions rule, or null. */
  collisions: number | null;
  /** The contacts rule (soft spheres), or null. */
  contacts: ContactTerm | null;
  /** The box of the bounds rule, or null (kernels round min and max to float32: docs/physics.md). */
  bounds: { min: [number, number, number]; max: [number, number, number]; restitution: number } | null;
  /** The rules with a potential energy, in rule order (diagnostics). */
  potentials: ({ kind: 'uniform'; g: [number, number, number] } | ({ kind: 'pairwise' } & PairwiseGravityTerm))[];
  /** pairForce rules, in rule order. */
  pairs: PairTerm[];
  /** bondForce rules, in rule order. */
  bonds: BondTerm[];
  /** externalForce rules, in rule order. */
  external: ExternalTerm[];
  /** field rules, in rule order. */
  fields: FieldTerm[];
  periodic: PeriodicBox | null;
  /** Every attribute column some term reads, sorted: what a GPU backend uploads beside the eight. */
  attributes: string[];
  /** Largest pair cutoff (the cell size a grid needs), or 0 without cutoff pair forces. */
  maxCutoff: number;
}

/** Expression terms are derived once per system (rules are immutable); only dt differs between plans. */
const derived = new WeakMap<SystemDefinition, KernelPlan>();

export function compileKernelPlan(system: SystemDefinition, dt: number): KernelPlan {
  let base = derived.get(system);
  if (!base) {
    base = buildPlan(system.rules, system.integrator);
    derived.set(system, base);
  }
  return { ...base, dt };
}

function buildPlan(rules: readonly Rule[], integrator: 'euler' | 'verlet'): KernelPlan {
  const plan: KernelPlan = {
    integrator,
    dt: 0,
    gravity: [0, 0, 0],
    drag: 0,
    pairwise: [],
    collisions: null,
    contacts: null,
    bounds: null,
    potentials: [],
    pairs: [],
    bonds: [],
    external: [],
    fields: [],
    periodic: null,
    attributes: [],
    maxCutoff: 0,
  };
  rules.forEach((rule, index) => {
    // Each kind's descriptor adds its own term: no switch over kinds here to forget a case in.
    describe(rule).plan(rule, plan, index);
  });
  const columns = new Set<string>();
  for (const term of [...plan.pairs, ...plan.bonds, ...plan.external, ...plan.fields]) for (const c of term.columns) columns.add(c);
  plan.attributes = [...columns].sort();
  plan.maxCutoff = Math.max(0, ...plan.pairs.map((p) => p.cutoff ?? 0));
  return plan;
}
