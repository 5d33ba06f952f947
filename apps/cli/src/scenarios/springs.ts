import { bondForce, defineSystem, drag, externalForce, ParticleState, uniformGravity, type Diagnostics } from '@brokenrecord/core';
import type { Readout, Scenario } from './scenario.js';

/** Rest length of one link. */
export const LINK = 0.5;
/** Mass of each bead. */
export const BEAD_MASS = 0.1;
/** Spring constant of each link: stiff enough that the chain stretches ~2% at the default length. */
export const SPRING_K = 2000;
/** Stiffness of the traps holding the two end beads: they give ~2e-3 under the chain's pull. */
export const PIN_K = 1e4;
/** Light drag (a = −k·v): the swing decays by e after 2 time units. */
export const DRAG = 1;
/** The pins are 80% of the chain's length apart, so it hangs slack. */
export const SPAN = 0.8;
export const GRAVITY = [0, -9.81, 0] as const;
/** Sideways speed of the middle bead at the start (sin-shaped along the chain), so the chain sways as it falls. */
export const SWAY = 1;
/** A chain pinned at both ends needs a bead between them. */
export const MIN_BEADS = 3;

export const SPRING_ENERGY = '0.5*k*(r - r0)^2';
/** Zero for free beads; `pin` = 1 ties a bead to its anchor (ax, ay, az). */
export const PIN_ENERGY = '0.5*kpin*pin*((x - ax)^2 + (y - ay)^2 + (z - az)^2)';
export const PIN_COLUMNS = ['pin', 'ax', 'ay', 'az'] as const;

export function beads(particles: number): number {
  return Math.max(MIN_BEADS, particles);
}

/** Chain length at rest and the distance between the pins. */
export function chainGeometry(particles: number): { beads: number; length: number; span: number } {
  const n = beads(particles);
  const length = (n - 1) * LINK;
  return { beads: n, length, span: SPAN * length };
}

/**
 * A chain of beads joined by harmonic springs, hanging under gravity between two pins. The pins are
 * stiff harmonic traps (externalForce) on the two end beads, reading their anchor from attribute
 * columns (`pin`, `ax`, `ay`, `az`), rather than infinitely heavy end beads, so every bead moves by
 * the same rules. The chain starts at rest as a V (straight arms meeting below the middle, links at
 * their rest length), pushed sideways (the middle bead at speed 1), falls into a catenary and
 * swings; light drag lets it settle. Gravity, the
 * traps and the drag all act from outside, and the drag dissipates: nothing is conserved, so the
 * contract is empty and the report shows the chain's own numbers instead (lowest point, sag
 * against the catenary of the same length).
 */
export const springs: Scenario = {
  name: 'springs',
  summary: 'a chain of n beads on harmonic springs hanging between two pins under gravity, with light drag (bondForce + externalForce)',
  defaults: { steps: 10_000, dt: 0.002, particles: 41, integrator: 'verlet' },
  fixedParticles: false,
  tolerances: {},
  system: ({ integrator }) =>
    defineSystem({
      integrator,
      rules: [
        uniformGravity({ g: GRAVITY }),
        // The bonds come from the state's bond table (set in state()), so no nested arrays are built.
        bondForce({ energy: SPRING_ENERGY, parameters: { k: SPRING_K, r0: LINK } }),
        externalForce({ energy: PIN_ENERGY, perParticle: [...PIN_COLUMNS], parameters: { kpin: PIN_K } }),
        drag({ k: DRAG }),
      ],
      conserves: [],
    }),
  state: ({ particles }) => {
    const { beads: n, length, span } = chainGeometry(particles);
    const state = ParticleState.create(n, { attributes: [...PIN_COLUMNS] });
    state.mass.fill(BEAD_MASS);
    // The V: from (0,0,0) down to the tip (span/2, −depth, 0) and up to (span, 0, 0), beads one
    // rest length apart along it (the link across the tip is a chord, slightly shorter).
    const half = length / 2;
    const depth = Math.sqrt(half * half - (span / 2) ** 2);
    const { px, py, vx } = state;
    for (let i = 0; i < n; i++) {
      const s = i * LINK;
      const f = s <= half ? s / half : (length - s) / half;
      px[i] = s <= half ? (span / 2) * f : span - (span / 2) * f;
      py[i] = -depth * f;
      vx[i] = SWAY * Math.sin((Math.PI * s) / length);
    }
    const pin = state.attribute('pin');
    const ax = state.attribute('ax');
    pin[0] = 1;
    pin[n - 1] = 1;
    ax[n - 1] = span;
    // Anchors (0,0,0) and (span,0,0): ay and az stay 0. The end beads start at rest on them.
    vx[0] = 0;
    vx[n - 1] = 0;
    const pairs = new Int32Array(2 * (n - 1));
    for (let b = 0; b < n - 1; b++) {
      pairs[2 * b] = b;
      pairs[2 * b + 1] = b + 1;
    }
    state.setBonds('bonds', pairs);
    return state;
  },
  notes: ({ particles }) => {
    const { beads: n, length, span } = chainGeometry(particles);
    const raised = n === particles ? '' : ` (--particles ${particles} raised to ${n}: a bead between the pins)`;
    return [
      `chain of ${n} beads${raised} (mass ${BEAD_MASS}), ${n - 1} springs 0.5·k·(r − r0)² (k ${SPRING_K}, r0 ${LINK}), ` +
        `length ${length}, pinned at (0, 0, 0) and (${Number(span.toPrecision(6))}, 0, 0) by traps (k ${PIN_K}), g ${GRAVITY[1]}, drag ${DRAG}; ` +
        `starts as a V swaying at up to ${SWAY}`,
    ];
  },
  readouts: (state: ParticleState, d: Diagnostics): Readout[] => {
    const shape = chainShape(state);
    return [
      { name: 'lowest point y', value: shape.lowest },
      { name: 'sag below the pins', value: shape.sag },
      { name: 'catenary sag (same length)', value: shape.catenarySag },
      { name: 'longest link stretch', value: shape.maxStretch },
      { name: 'kinetic energy', value: d.kinetic },
    ];
  },
};

export interface ChainShape {
  lowest: number;
  /** Mean height of the pinned beads minus the lowest point. */
  sag: number;
  /** Sag of an inextensible catenary as long as the chain is now (its links' current lengths) between the pins as they are now. */
  catenarySag: number;
  /** Largest (|d| − r0) / r0 over the links. */
  maxStretch: number;
}

/** The chain's shape from the state: its bond table and the pinned beads (attribute `pin`). */
export function chainShape(state: ParticleState): ChainShape {
  const { px, py, pz, count } = state;
  const pin = state.attribute('pin');
  const bonds = state.bonds('bonds');
  let lowest = Infinity;
  for (let i = 0; i < count; i++) lowest = Math.min(lowest, py[i]);
  const pinned: number[] = [];
  for (let i = 0; i < count; i++) if (pin[i] !== 0) pinned.push(i);
  let length = 0;
  let maxStretch = -Infinity;
  for (let b = 0; b < (bonds?.count ?? 0); b++) {
    const i = bonds!.i[b];
    const j = bonds!.j[b];
    const r = Math.hypot(px[j] - px[i], py[j] - py[i], pz[j] - pz[i]);
    length += r;
    maxStretch = Math.max(maxStretch, (r - LINK) / LINK);
  }
  const pinHeight = pinned.reduce((s, i) => s + py[i], 0) / pinned.length;
  const [a, b] = [pinned[0], pinned[pinned.length - 1]];
  const span = Math.hypot(px[b] - px[a], pz[b] - pz[a]);
  return { lowest, sag: pinHeight - lowest, catenarySag: catenarySag(length, span), maxStretch };
}

/**
 * Sag of the catenary y = c·cosh(x/c) of arc length `length` between two supports `span` apart at
 * the same height: c solves length = 2c·sinh(span / 2c) (bisection on c; the arc length falls as
 * c grows), and the sag is c·(cosh(span / 2c) − 1). NaN when the chain is not longer than the span.
 */
export function catenarySag(length: number, span: number): number {
  if (!(length > span) || !(span > 0)) return NaN;
  const arc = (c: number) => 2 * c * Math.sinh(span / (2 * c));
  let lo = span / 1400; // sinh overflows beyond ~710
  let hi = span;
  while (arc(hi) > length) hi *= 2;
  for (let k = 0; k < 200; k++) {
    const mid = (lo + hi) / 2;
    if (arc(mid) > length) lo = mid;
    else hi = mid;
  }
  const c = (lo + hi) / 2;
  return c * (Math.cosh(span / (2 * c)) - 1);
}
