import { bounds, contacts, defineSystem, ParticleState, uniformGravity, type Diagnostics } from '@brokenrecord/core';
import type { Readout, Scenario } from './scenario.js';

export const RADIUS = 0.5;
export const MASS = 1;
/** Contact stiffness: ω·dt = sqrt(k/m_eff)·dt = 0.1 at the default dt (~60 steps per contact). */
export const STIFFNESS = 2e4;
/** Of every contact and of the walls: the pile loses energy at each impact and comes to rest. */
export const RESTITUTION = 0.3;
export const GRAVITY = [0, -9.81, 0] as const;
/** Spacing of the loose lattice the spheres are poured from (0.2 apart: no contact at the start). */
export const SPACING = 1.2;
/** The box is as wide as a settled pile about this many layers deep. */
export const LAYERS = 8;

/** The box [0, w] × [0, h] × [0, w] and the lattice the spheres start on. */
export function granularGeometry(particles: number): { width: number; height: number; columns: number; rows: number; base: number } {
  const width = Math.max(4, Math.ceil(Math.sqrt(particles / LAYERS)));
  const columns = Math.max(1, Math.floor(width / SPACING));
  const rows = Math.ceil(particles / (columns * columns));
  // The lattice starts a box-width above the floor, so the first spheres fall before they land.
  const base = width;
  return { width, height: base + rows * SPACING + 1, columns, rows, base };
}

/**
 * Soft spheres (DEM) poured into a box: `contacts({ model: 'hooke' })` with restitution 0.3,
 * gravity, and walls of the same restitution. The spheres start on a loose jittered lattice above
 * the floor with small sideways speeds, fall, and settle into a pile whose weight the contacts
 * carry (overlaps of a fraction of a percent of the radius). Gravity and walls act from outside
 * and the contacts dissipate: nothing is conserved, so the report shows the pile's own numbers.
 */
export const granular: Scenario = {
  name: 'granular',
  summary: 'n soft spheres (DEM, hooke contacts, e = 0.3) poured into a box under gravity, settling into a pile (contacts + bounds)',
  defaults: { steps: 12_000, dt: 5e-4, particles: 200, integrator: 'verlet' },
  fixedParticles: false,
  tolerances: {},
  system: ({ particles, integrator }) => {
    const { width, height } = granularGeometry(particles);
    return defineSystem({
      integrator,
      rules: [
        uniformGravity({ g: GRAVITY }),
        contacts({ model: 'hooke', stiffness: STIFFNESS, restitution: RESTITUTION }),
        bounds({ min: [0, 0, 0], max: [width, height, width], restitution: RESTITUTION }),
      ],
      conserves: [],
    });
  },
  state: ({ particles, random }) => {
    const { width, columns, base } = granularGeometry(particles);
    const state = ParticleState.create(particles);
    const { px, py, pz, vx, vz } = state;
    const margin = (width - columns * SPACING) / 2 + SPACING / 2;
    const jitter = 0.05;
    for (let i = 0; i < particles; i++) {
      const column = i % (columns * columns);
      px[i] = margin + SPACING * (column % columns) + random.uniform(-jitter, jitter);
      pz[i] = margin + SPACING * Math.floor(column / columns) + random.uniform(-jitter, jitter);
      py[i] = base + SPACING * Math.floor(i / (columns * columns)) + random.uniform(-jitter, jitter);
      vx[i] = random.uniform(-0.5, 0.5);
      vz[i] = random.uniform(-0.5, 0.5);
    }
    state.radius.fill(RADIUS);
    state.mass.fill(MASS);
    return state;
  },
  notes: ({ particles }) => {
    const { width, height, columns, rows } = granularGeometry(particles);
    return [
      `${particles} spheres (radius ${RADIUS}, mass ${MASS}) poured from a ${columns}×${columns}×${rows} lattice into the box ` +
        `[0, ${width}] × [0, ${Number(height.toPrecision(6))}] × [0, ${width}]; contacts hooke k ${STIFFNESS}, restitution ${RESTITUTION}; g ${GRAVITY[1]}`,
    ];
  },
  readouts: (state: ParticleState, d: Diagnostics): Readout[] => {
    const pile = pileShape(state);
    return [
      { name: 'pile top y', value: pile.top },
      { name: 'mean height', value: pile.meanHeight },
      { name: 'deepest overlap', value: pile.deepestOverlap },
      { name: 'kinetic energy', value: d.kinetic },
    ];
  },
};

export interface PileShape {
  /** Highest sphere top. */
  top: number;
  /** Mean centre height. */
  meanHeight: number;
  /** Largest r_i + r_j − |x_ij| over all pairs (0 when none overlap). */
  deepestOverlap: number;
}

/** The pile's shape from the state (the deepest overlap by a cell grid of cells one diameter wide). */
export function pileShape(state: ParticleState): PileShape {
  const { px, py, pz, radius, count } = state;
  let top = -Infinity;
  let sum = 0;
  const cells = new Map<string, number[]>();
  const key = (x: number, y: number, z: number) => `${Math.floor(x)},${Math.floor(y)},${Math.floor(z)}`;
  for (let i = 0; i < count; i++) {
    top = Math.max(top, py[i] + radius[i]);
    sum += py[i];
    const k = key(px[i], py[i], pz[i]);
    const list = cells.get(k);
    if (list) list.push(i);
    else cells.set(k, [i]);
  }
  let deepest = 0;
  for (let i = 0; i < count; i++) {
    const [cx, cy, cz] = [Math.floor(px[i]), Math.floor(py[i]), Math.floor(pz[i])];
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++)
        for (let dz = -1; dz <= 1; dz++) {
          for (const j of cells.get(`${cx + dx},${cy + dy},${cz + dz}`) ?? []) {
            if (j <= i) continue;
            const overlap = radius[i] + radius[j] - Math.hypot(px[j] - px[i], py[j] - py[i], pz[j] - pz[i]);
            deepest = Math.max(deepest, overlap);
          }
        }
  }
  return { top, meanHeight: count > 0 ? sum / count : 0, deepestOverlap: deepest };
}
