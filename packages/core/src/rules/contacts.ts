import { ValidationError } from '../errors.js';
import type { ContactTerm } from '../kernel-plan.js';
import type { ParticleState } from '../state.js';
import type { RuleDescriptor } from './descriptor.js';
import { forEachPairWithin } from './neighbor-pairs.js';
import { checkKeys, finiteNumber, type Quantity, type RuleOf } from './rule.js';

/** Normal force laws of soft-sphere (DEM) contacts. */
export const CONTACT_MODELS = ['hooke', 'hertz'] as const;
export type ContactModel = (typeof CONTACT_MODELS)[number];

/**
 * Soft-sphere contact options, in the conventions of LAMMPS `pair_style gran/hooke` and the normal
 * part of `gran/hertz/history` (docs/physics.md, "Soft-sphere contacts"):
 * - `hooke`: `F_n = k·δ − c·u`, `stiffness` = k (force/length);
 * - `hertz`: `F_n = sqrt(δ·R_eff)·(k·δ − γ·m_eff·u)`, `stiffness` = k (force/area; k = 4/3·E* for
 *   the textbook Hertz law, E* = 1/((1−ν_i²)/E_i + (1−ν_j²)/E_j)).
 * Damping is either `damping` γ ≥ 0 (1/time; `c = γ·m_eff`, LAMMPS gamma_n) or, for `hooke` only,
 * `restitution` e ∈ (0, 1], turned into c by the analytic linear spring–dashpot result.
 * Stored options keep exactly one of the two (`damping: 0` when neither is given).
 *
 * Tangential forces (a tangential spring–dashpot with Coulomb friction, LAMMPS kt/gamma_t/xmu) and
 * rotation need angular velocity columns; they will be options of this rule and a `tangential`
 * part of its plan term (ContactTerm.tangential, null today).
 */
export interface ContactsOptions {
  model: ContactModel;
  stiffness: number;
  damping?: number;
  restitution?: number;
}
export type ContactsRule = RuleOf<'contacts', ContactsOptions>;

/**
 * `c = β·sqrt(k·m_eff)` makes a linear spring–dashpot contact of reduced mass m_eff end with
 * rebound/approach speed e: β = 2·|ln e| / sqrt(π² + ln² e) (so β = 0 for e = 1).
 */
export function dampingRatioForRestitution(e: number): number {
  const l = Math.log(e);
  return (2 * Math.abs(l)) / Math.sqrt(Math.PI * Math.PI + l * l);
}

/** Spring–dashpot normal forces between overlapping spheres; energy holds only without damping. */
export function contacts(options: { model: ContactModel; stiffness: number; damping?: number; restitution?: number }): ContactsRule {
  if (!options || typeof options !== 'object') throw new ValidationError('contacts', 'options {model, stiffness} are required');
  checkKeys('contacts', options, ['model', 'stiffness', 'damping', 'restitution']);
  const model = options.model;
  if (!(CONTACT_MODELS as readonly unknown[]).includes(model)) {
    throw new ValidationError('contacts.model', `${JSON.stringify(model)} is not one of ${CONTACT_MODELS.join(', ')}`);
  }
  const stiffness = finiteNumber('contacts.stiffness', options.stiffness, (k) => (k > 0 ? null : 'must be > 0'));
  const { damping, restitution } = options;
  if (damping !== undefined && restitution !== undefined) {
    throw new ValidationError('contacts', 'give damping or restitution, not both');
  }
  let stored: ContactsOptions;
  if (restitution !== undefined) {
    if (model !== 'hooke') {
      throw new ValidationError(
        'contacts.restitution',
        "restitution has an analytic damping only for model 'hooke'; give 'hertz' a damping (gamma_n, as LAMMPS)",
      );
    }
    const e = finiteNumber('contacts.restitution', restitution, (v) => (v > 0 && v <= 1 ? null : 'must be within (0, 1]'));
    stored = { model, stiffness, restitution: e };
  } else {
    const gamma = damping === undefined ? 0 : finiteNumber('contacts.damping', damping, (v) => (v < 0 ? 'must be >= 0' : null));
    stored = { model, stiffness, damping: gamma };
  }
  const elastic = (stored.damping ?? 0) === 0 && (stored.restitution ?? 1) === 1;
  const conserves: Quantity[] = elastic ? ['energy', 'momentum', 'angularMomentum'] : ['momentum', 'angularMomentum'];
  return { kind: 'contacts', options: stored, conserves, phase: 'force' };
}

/** The plan term of a contacts rule: the numbers every kernel reads. */
export function contactTerm(rule: ContactsRule, index: number): ContactTerm {
  const { model, stiffness, damping, restitution } = rule.options;
  return {
    rule: index,
    model,
    stiffness,
    dampingRate: damping ?? 0,
    dampingRatio: restitution === undefined ? 0 : dampingRatioForRestitution(restitution),
    tangential: null,
  };
}

/** Elastic energy of one overlap δ > 0 of spheres ri, rj: ½kδ² (hooke), (2/5)·k·sqrt(R_eff)·δ^{5/2} (hertz). */
export function contactEnergy(model: ContactModel, k: number, delta: number, ri: number, rj: number): number {
  if (model === 'hooke') return 0.5 * k * delta * delta;
  const reff = (ri * rj) / (ri + rj);
  return 0.4 * k * Math.sqrt(reff) * delta * delta * Math.sqrt(delta);
}

export const contactsDescriptor: RuleDescriptor<ContactsRule> = {
  create: contacts,
  plan(rule, plan, index) {
    plan.contacts = contactTerm(rule, index);
  },
  potential(rule, state: ParticleState) {
    let rMax = 0;
    for (let i = 0; i < state.count; i++) rMax = Math.max(rMax, state.radius[i]);
    if (rMax === 0) return 0;
    const { radius } = state;
    const { model, stiffness } = rule.options;
    let u = 0;
    forEachPairWithin(state, 2 * rMax, null, (i, j, _dx, _dy, _dz, r2) => {
      const delta = radius[i] + radius[j] - Math.sqrt(r2);
      if (delta > 0) u += contactEnergy(model, stiffness, delta, radius[i], radius[j]);
    });
    return u;
  },
};
