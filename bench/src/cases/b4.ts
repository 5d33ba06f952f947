/**
 * B4: a Lennard-Jones fluid, the LAMMPS benchmark (bench/in.lj): fcc lattice at density 0.8442,
 * 20³ unit cells × 4 = 32,000 atoms, ε = σ = m = 1, cutoff 2.5 (plain truncation), periodic box,
 * velocity Verlet with dt = 0.005, initial temperature 1.44. Reported in atom-steps/s.
 *
 * Initial state (seed 4, the same draws and double arithmetic as c/b4.c): the perfect lattice
 * (lattice constant L/20, L = 20·(4/0.8442)^⅓ rounded to float32), velocities uniform in
 * [−0.5, 0.5) per component (LAMMPS's `velocity create` default distribution), the mean removed,
 * scaled to T = 1.44 with 3N − 3 degrees of freedom, rounded to float32. The lattice melts within
 * the first ~100 steps (T falls to ~0.75 as kinetic energy turns into potential).
 *
 * Checks: every row's sampled positions against the JS loop's (minimum image), its own energy
 * drift over the run, and its potential energy of the initial state against the JS loop's.
 */
import { ParticleState } from '@brokenrecord/core';
import { mulberry32 } from '../random.js';
import type { Workload } from '../workload.js';
import type { BenchCase, Size } from './case.js';

const SEED = 4;
export const LJ_CELLS = 20;
export const LJ_DENSITY = 0.8442;
export const LJ_TEMPERATURE = 1.44;
export const LJ_CUTOFF = 2.5;
/** float32, so every engine wraps at the very same place; passed to c/b4.c and LAMMPS exactly. */
export const LJ_BOX = Math.fround(LJ_CELLS * Math.cbrt(4 / LJ_DENSITY));

const FCC_BASIS = [
  [0, 0, 0],
  [0.5, 0.5, 0],
  [0.5, 0, 0.5],
  [0, 0.5, 0.5],
] as const;

/** Same order of draws and the same double arithmetic before rounding as init_state in c/b4.c. */
export function ljFluidState(cells: number, box: number, temperature: number): ParticleState {
  const n = 4 * cells ** 3;
  const a = box / cells;
  const state = ParticleState.create(n); // mass 1
  let i = 0;
  for (let cz = 0; cz < cells; cz++)
    for (let cy = 0; cy < cells; cy++)
      for (let cx = 0; cx < cells; cx++)
        for (const [bx, by, bz] of FCC_BASIS) {
          state.px[i] = (cx + bx) * a;
          state.py[i] = (cy + by) * a;
          state.pz[i] = (cz + bz) * a;
          i++;
        }
  const random = mulberry32(SEED);
  const v = new Float64Array(3 * n);
  for (let k = 0; k < 3 * n; k++) v[k] = random() - 0.5;
  for (let c = 0; c < 3; c++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += v[3 * j + c];
    const mean = sum / n;
    for (let j = 0; j < n; j++) v[3 * j + c] -= mean;
  }
  let sumsq = 0;
  for (let k = 0; k < 3 * n; k++) sumsq += v[k] * v[k];
  const scale = Math.sqrt((temperature * (3 * n - 3)) / sumsq);
  for (let j = 0; j < n; j++) {
    state.vx[j] = v[3 * j] * scale;
    state.vy[j] = v[3 * j + 1] * scale;
    state.vz[j] = v[3 * j + 2] * scale;
  }
  return state;
}

export function b4(size: Size): BenchCase {
  const n = 4 * LJ_CELLS ** 3;
  // 100 steps as bench/in.lj runs them; each row then takes 1-4 s per run on one core.
  const steps = size === 'quick' ? 20 : 100;
  const workload: Workload = {
    id: 'B4',
    title: `Lennard-Jones fluid, fcc ρ = ${LJ_DENSITY}, rc = ${LJ_CUTOFF}, periodic box ${LJ_BOX.toFixed(2)}³, velocity Verlet`,
    n,
    steps,
    dt: 0.005,
    integrator: 'verlet',
    physics: { kernel: 'lennardJones', epsilon: 1, sigma: 1, cutoff: LJ_CUTOFF, box: LJ_BOX },
    createState: () => ljFluidState(LJ_CELLS, LJ_BOX, LJ_TEMPERATURE),
    work: { perRun: n * steps, unit: 'atom-steps/s', convention: 'atom-steps = N × steps' },
    c: { program: 'b4', args: [LJ_CELLS, String(LJ_BOX), LJ_TEMPERATURE, LJ_CUTOFF] },
    // A chaotic fluid: float32 and float64 trajectories part slowly (about 1e-6 after 100 steps).
    tolerance: 1e-3,
    periodicBox: LJ_BOX,
    checkReference: 'float32',
    energyCheck: { drift: 1e-2, potential0: 1e-6, potential0Backends: 1e-5, total1: 1e-4 },
    timeCreate: true,
    notes: [
      `T = ${LJ_TEMPERATURE} at the start, ${((n * (4 / 3) * Math.PI * LJ_CUTOFF ** 3 * LJ_DENSITY) / 2 / n).toFixed(1)} pairs per atom inside the cutoff`,
      "reference rows: cell list rebuilt every step (cells ≥ rc, half stencil, Newton's third law); LAMMPS: its neighbour lists (skin 0.3, checked every step)",
      'check: positions vs the JS loop (minimum image); ΔE = |E_end − E_0|/|E_0| of the row itself (plain truncation at rc: pairs crossing it jump the energy, about 2e-3 per 100 steps as LAMMPS shows too); U₀, E₁ = potential energy of the initial state, total energy at the end, both vs the JS loop',
    ],
  };
  return {
    workload,
    targets: [
      { runner: 'ts', relativeTo: 'float32', atLeast: 0.8 },
      // Code generated for the rule on avx2 against LAMMPS on one process (issue targets; the
      // ratios to the C rows at the same thread count are in the × C column and the notes).
      { runner: 'avx2-1t', relativeTo: 'lammps', atLeast: 1.0 },
      { runner: 'avx2-2t', relativeTo: 'lammps', atLeast: 2.0 },
      // The interpreter of the same terms against the compiled object, both on 1 thread.
      { runner: 'avx2-interp-1t', relativeTo: 'avx2-1t', atLeast: 0.3 },
    ],
  };
}
