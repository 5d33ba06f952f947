/**
 * Periodic Lennard-Jones configurations shared by both engines. Every number in a configuration is
 * a float32 value held as a float64 (`Math.fround`), so BrokenRecord's float32 columns and the
 * LAMMPS data file (written with round-trip precision) describe exactly the same atoms.
 */
import { mulberry32 } from './random.js';

/** One atom type: mass and its own Lennard-Jones σ and ε (pairs mix as LAMMPS `pair_modify mix arithmetic`). */
export interface Species {
  mass: number;
  sigma: number;
  epsilon: number;
}

export interface LjConfiguration {
  n: number;
  /** Cubic periodic box [0, box)³ (a float32 value). */
  box: number;
  /** Plain truncation radius, as LAMMPS `pair_style lj/cut`. */
  cutoff: number;
  /** x0 y0 z0 x1 ... inside [0, box), float32 values. */
  position: Float64Array;
  velocity: Float64Array;
  /** Index into `species` per atom (LAMMPS atom type = index + 1). */
  type: Int32Array;
  species: Species[];
  /** The seed the configuration was drawn from (after any redraws, see `fccConfiguration`). */
  seed: number;
  /** Smallest | r − cutoff | over all minimum-image pairs at the start. */
  cutoffMargin: number;
}

export interface FccOptions {
  /** Unit cells per box edge; 4 atoms per cell. */
  cells: number;
  /** Number density (LJ units); 0.8442 is the LAMMPS benchmark's liquid. */
  density: number;
  cutoff: number;
  /** Each coordinate moves by a uniform amount in [−displacement, displacement] from its site. */
  displacement: number;
  /** Initial temperature (k_B = 1) with 3N − 3 degrees of freedom, as LAMMPS's `compute temp`. */
  temperature: number;
  seed: number;
  /** Atom types; atom i gets a type drawn uniformly. Default: one type, mass 1, σ = ε = 1. */
  species?: Species[];
  /**
   * A configuration with a pair distance within this of the cutoff is redrawn (seed + 1, ...):
   * float32 and float64 may disagree on which side of the cutoff such a pair is, and a pair
   * truncated by one engine and kept by the other is a real difference in force, not rounding.
   */
  minCutoffMargin?: number;
}

const FCC_BASIS = [
  [0, 0, 0],
  [0.5, 0.5, 0],
  [0.5, 0, 0.5],
  [0, 0.5, 0.5],
] as const;

const f32 = Math.fround;

/** Minimum-image component of a difference in a periodic box of side `box`. */
export function minimumImage(d: number, box: number): number {
  return d - box * Math.round(d / box);
}

/** Puts x into [0, box). */
export function wrap(x: number, box: number): number {
  const y = x - box * Math.floor(x / box);
  return y >= box ? y - box : y;
}

/**
 * Smallest | r − cutoff | over all minimum-image pairs, in float64 (brute force: meant for the few
 * hundred atoms of a comparison).
 */
export function cutoffMargin(position: Float64Array, box: number, cutoff: number): number {
  const n = position.length / 3;
  let margin = Infinity;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = minimumImage(position[3 * j] - position[3 * i], box);
      const dy = minimumImage(position[3 * j + 1] - position[3 * i + 1], box);
      const dz = minimumImage(position[3 * j + 2] - position[3 * i + 2], box);
      margin = Math.min(margin, Math.abs(Math.sqrt(dx * dx + dy * dy + dz * dz) - cutoff));
    }
  }
  return margin;
}

function draw(options: FccOptions, seed: number): LjConfiguration {
  const { cells, density, cutoff, displacement, temperature } = options;
  const species = (options.species ?? [{ mass: 1, sigma: 1, epsilon: 1 }]).map((s) => ({
    mass: f32(s.mass),
    sigma: f32(s.sigma),
    epsilon: f32(s.epsilon),
  }));
  const n = 4 * cells ** 3;
  // The box edge is a float32 number so both engines wrap at the same place; the lattice constant follows.
  const box = f32(cells * Math.cbrt(4 / density));
  const a = box / cells;
  const random = mulberry32(seed);
  const position = new Float64Array(3 * n);
  const velocity = new Float64Array(3 * n);
  const type = new Int32Array(n);
  let i = 0;
  for (let cz = 0; cz < cells; cz++) {
    for (let cy = 0; cy < cells; cy++) {
      for (let cx = 0; cx < cells; cx++) {
        for (const [bx, by, bz] of FCC_BASIS) {
          const site = [(cx + bx) * a, (cy + by) * a, (cz + bz) * a];
          for (let k = 0; k < 3; k++) {
            const x = f32(wrap(site[k] + displacement * (2 * random() - 1), box));
            // Rounding to float32 may land exactly on the upper face: that is the lower one.
            position[3 * i + k] = x >= box ? 0 : x;
          }
          type[i] = species.length === 1 ? 0 : Math.min(species.length - 1, Math.floor(random() * species.length));
          i++;
        }
      }
    }
  }
  // Uniform velocities (LAMMPS `velocity create` draws uniform by default), zero momentum, then
  // scaled to the temperature with 3N − 3 degrees of freedom.
  const mass = (j: number) => species[type[j]].mass;
  const p = [0, 0, 0];
  let totalMass = 0;
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < 3; k++) {
      velocity[3 * j + k] = random() - 0.5;
      p[k] += mass(j) * velocity[3 * j + k];
    }
    totalMass += mass(j);
  }
  let twiceKinetic = 0;
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < 3; k++) {
      velocity[3 * j + k] -= p[k] / totalMass;
      twiceKinetic += mass(j) * velocity[3 * j + k] ** 2;
    }
  }
  const scale = Math.sqrt((temperature * (3 * n - 3)) / twiceKinetic);
  for (let k = 0; k < 3 * n; k++) velocity[k] = f32(velocity[k] * scale);
  return { n, box, cutoff, position, velocity, type, species, seed, cutoffMargin: cutoffMargin(position, box, cutoff) };
}

/**
 * An fcc lattice of `cells`³ unit cells at `density`, every coordinate displaced at random (a
 * perfect lattice has zero force on every atom by symmetry, which would test nothing), with
 * velocities at `temperature`. Redraws with the next seed while a pair sits within
 * `minCutoffMargin` (default 2e-5) of the cutoff.
 */
export function fccConfiguration(options: FccOptions): LjConfiguration {
  const wanted = options.minCutoffMargin ?? 2e-5;
  const box = f32(options.cells * Math.cbrt(4 / options.density));
  if (options.cutoff * 2 > box) throw new RangeError(`cutoff ${options.cutoff} is more than half the box ${box}`);
  for (let attempt = 0; attempt < 100; attempt++) {
    const config = draw(options, options.seed + attempt);
    if (config.cutoffMargin >= wanted) return config;
  }
  throw new Error(`no configuration with every pair ${wanted} away from the cutoff in 100 seeds from ${options.seed}`);
}

/** Per-atom masses (float32 values). */
export function massesOf(config: LjConfiguration): Float64Array {
  return Float64Array.from(config.type, (t) => config.species[t].mass);
}

/** Per-atom column of one species property (for BrokenRecord's `attributes`). */
export function speciesColumn(config: LjConfiguration, key: 'sigma' | 'epsilon' | 'mass'): Float64Array {
  return Float64Array.from(config.type, (t) => config.species[t][key]);
}
