import { defineSystem, pairForce, ParticleState, periodic, type Diagnostics } from '@brokenrecord/core';
import type { SeededRandom } from '../random.js';
import type { Readout, Scenario } from './scenario.js';

/** Reduced Lennard-Jones units (σ = ε = m = k_B = 1), the state point of LAMMPS's `bench/in.lj`. */
export const LJ_DENSITY = 0.8442;
export const LJ_TEMPERATURE = 1.44;
export const LJ_CUTOFF = 2.5;
/** 4·6³ = 864 atoms: the size of Verlet's 1967 runs; a few seconds per 1000 steps on one core. */
const DEFAULT_CELLS = 6;

/** The 12-6 potential as the user would write it; σ and ε are parameters (folded into the code). */
export const LJ_ENERGY = '4*eps*((sig/r)^12 - (sig/r)^6)';

export interface FccLattice {
  /** Cubic unit cells per box edge (k). */
  cells: number;
  /** Atoms: 4·k³. */
  count: number;
  /** Edge of one unit cell, a = (4/ρ)^(1/3). */
  spacing: number;
  /** Edge of the periodic box, k·a. */
  box: number;
}

function lattice(cells: number): FccLattice {
  const spacing = Math.cbrt(4 / LJ_DENSITY);
  return { cells, count: 4 * cells ** 3, spacing, box: cells * spacing };
}

/**
 * The smallest k whose box holds the cutoff: core rejects rc > L/2 (a pair would meet two images),
 * with L as the float32 box the periodic rule stores. k = 3 (108 atoms, L = 5.04) at ρ = 0.8442.
 */
export const MIN_CELLS = (() => {
  let k = 1;
  while (Math.fround(lattice(k).box) / 2 < LJ_CUTOFF) k++;
  return k;
})();

/** The fcc lattice whose 4·k³ is nearest to the requested count (never below MIN_CELLS). */
export function fccLattice(particles: number): FccLattice {
  const low = Math.max(MIN_CELLS, Math.floor(Math.cbrt(particles / 4)));
  const high = low + 1;
  const pick = Math.abs(4 * high ** 3 - particles) < Math.abs(particles - 4 * low ** 3) ? high : low;
  return lattice(pick);
}

/** Basis of the face-centred cubic cell, in units of a. */
const BASIS = [
  [0, 0, 0],
  [0.5, 0.5, 0],
  [0.5, 0, 0.5],
  [0, 0.5, 0.5],
] as const;

/** T = 2K / (3N − 3): kinetic temperature with the three degrees of freedom of the fixed total momentum removed. */
export function temperature(kinetic: number, count: number): number {
  return (2 * kinetic) / (3 * count - 3);
}

/**
 * A Lennard-Jones fluid in a periodic box, the classic molecular-dynamics test case (and the LAMMPS
 * LJ benchmark): atoms start on an fcc lattice at density 0.8442 with random velocities at
 * T = 1.44 and zero total momentum; the lattice melts within a few hundred steps and the
 * temperature settles near 0.7 as kinetic energy turns into potential energy. The potential is cut
 * at 2.5σ and shifted to 0 there, so the total energy is continuous and verlet keeps it. A periodic
 * box has no rotational symmetry: energy and momentum are the contract.
 */
export const lennardJones: Scenario = {
  name: 'lennard-jones',
  summary: 'a periodic Lennard-Jones fluid: fcc at density 0.8442, T 1.44, cutoff 2.5 (shifted), verlet (reduced units)',
  defaults: { steps: 1000, dt: 0.005, particles: 4 * DEFAULT_CELLS ** 3, integrator: 'verlet' },
  fixedParticles: false,
  // Measured on ts (verlet at dt 0.005, float32 pair sums): energy 6e-7–6e-6 at the defaults, 7e-6
  // over 10,000 steps, 4e-5 for 108 atoms over 5000; momentum 2e-8–6e-8 (2.5e-7 for 108 atoms).
  tolerances: { energy: 1e-4, momentum: 1e-6 },
  system: ({ particles, integrator }) => {
    const { box } = fccLattice(particles);
    return defineSystem({
      integrator,
      rules: [
        pairForce({ energy: LJ_ENERGY, parameters: { eps: 1, sig: 1 }, cutoff: LJ_CUTOFF, shift: true }),
        periodic({ min: [0, 0, 0], max: [box, box, box] }),
      ],
      conserves: ['energy', 'momentum'],
    });
  },
  state: ({ particles, random }) => {
    const { cells, count, spacing } = fccLattice(particles);
    // Columns are filled in place: no per-particle arrays, however large the lattice.
    const state = ParticleState.create(count);
    const { px, py, pz } = state;
    let i = 0;
    for (let cz = 0; cz < cells; cz++) {
      for (let cy = 0; cy < cells; cy++) {
        for (let cx = 0; cx < cells; cx++) {
          for (const [bx, by, bz] of BASIS) {
            // A quarter-cell offset keeps every atom strictly inside [0, L) after float32 rounding.
            px[i] = (cx + bx + 0.25) * spacing;
            py[i] = (cy + by + 0.25) * spacing;
            pz[i] = (cz + bz + 0.25) * spacing;
            i++;
          }
        }
      }
    }
    thermalVelocities(state, random);
    return state;
  },
  notes: ({ particles }) => {
    const { cells, count, box } = fccLattice(particles);
    const rounded =
      particles === count
        ? ''
        : ` (--particles ${particles} rounded to ${count}: the fcc box holds 4·k³ atoms${
            cells === MIN_CELLS && particles < count ? `, and k ≥ ${MIN_CELLS} keeps the cutoff within half the box` : ''
          })`;
    return [
      `fcc lattice of ${cells}×${cells}×${cells} cells = ${count} atoms${rounded}, density ${LJ_DENSITY}, ` +
        `periodic box ${box.toFixed(4)}³, cutoff ${LJ_CUTOFF} (energy shifted), initial T ${LJ_TEMPERATURE}`,
    ];
  },
  readouts: (state: ParticleState, d: Diagnostics): Readout[] => [
    { name: 'temperature 2K/(3N−3)', value: temperature(d.kinetic, state.count) },
    { name: 'potential energy per atom', value: d.potential / state.count },
    { name: 'total energy per atom', value: d.total / state.count },
  ],
};

/**
 * Maxwell–Boltzmann velocities at exactly LJ_TEMPERATURE with exactly zero total momentum: atoms
 * are paired at random and each pair gets a Gaussian velocity and its negation. The negation is
 * exact in float32 too, so the stored momentum is zero (equal masses), where subtracting the mean
 * would leave float32 rounding behind.
 */
function thermalVelocities(state: ParticleState, random: SeededRandom): void {
  const n = state.count;
  const { vx, vy, vz } = state;
  // Fisher–Yates on an index column: the pairs are (order[2p], order[2p + 1]).
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const v = new Float64Array(3 * n);
  let sum2 = 0;
  for (let p = 0; p + 1 < n; p += 2) {
    const a = order[p];
    const b = order[p + 1];
    for (let c = 0; c < 3; c++) {
      const g = gaussian(random);
      v[3 * a + c] = g;
      v[3 * b + c] = -g;
      sum2 += 2 * g * g;
    }
  }
  // T = Σ m v² / (3N − 3) with m = 1: one scale factor for every atom keeps the pairs opposite.
  const scale = Math.sqrt((LJ_TEMPERATURE * (3 * n - 3)) / sum2);
  for (let i = 0; i < n; i++) {
    vx[i] = v[3 * i] * scale;
    vy[i] = v[3 * i + 1] * scale;
    vz[i] = v[3 * i + 2] * scale;
  }
}

/** A standard normal draw (Box–Muller); 1 − u keeps the logarithm finite. */
function gaussian(random: SeededRandom): number {
  const u = 1 - random.next();
  const w = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
}
