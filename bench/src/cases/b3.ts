/**
 * B3: 100,000 elastic spheres of radius 0.5 in a closed box, collisions + bounds, no force rule,
 * semi-implicit Euler, dt = 0.01. Reported in steps/s.
 *
 * Density: "~10 neighbours each" cannot mean ~10 spheres within contact distance (1.0): that would
 * need 2.4 particles per unit volume, a volume fraction of 125%, i.e. spheres overlapping by
 * construction. It is read as ~10 candidates in the broadphase stencil: with grid cells of
 * 2·r = 1.0 the 27-cell stencil covers 27 units³, so 10/27 = 0.37 particles per unit³. A box of side
 * 65 gives 100,000 / 65³ = 0.364 (9.8 candidates per particle, 19% volume fraction: a dense gas).
 *
 * Initial state (seed 3): a 47³ lattice of spacing 65/47 = 1.38, each site jittered by up to
 * ±0.45·(spacing − 1) per axis so no spheres overlap at the start, velocities uniform in [−5, 5]³:
 * a particle crosses ~0.05 per step, so contacts happen from the first steps on.
 */
import { ParticleState } from '@brokenrecord/core';
import { mulberry32 } from '../random.js';
import type { Workload } from '../workload.js';
import type { BenchCase, Size } from './case.js';

const SEED = 3;
const RADIUS = 0.5; // also RADIUS in c/b3.c
const MASS = 1; // also MASS in c/b3.c
const BOX = 65;
const SPEED = 5;

function latticeSide(n: number): number {
  let k = 1;
  while (k * k * k < n) k++;
  return k;
}

/** Same draws, same order and same float64 arithmetic before rounding as init_state in c/b3.c. */
export function jitteredGasState(n: number, box: number, speed: number): ParticleState {
  const random = mulberry32(SEED);
  const k = latticeSide(n);
  const spacing = box / k;
  const jitter = 0.9 * (spacing - 2 * RADIUS);
  const state = ParticleState.create(n);
  const positions = [state.px, state.py, state.pz];
  for (let i = 0; i < n; i++) {
    const site = [i % k, Math.floor(i / k) % k, Math.floor(i / (k * k))];
    for (let a = 0; a < 3; a++) positions[a][i] = (site[a] + 0.5) * spacing + (random() - 0.5) * jitter;
    state.vx[i] = speed * (2 * random() - 1);
    state.vy[i] = speed * (2 * random() - 1);
    state.vz[i] = speed * (2 * random() - 1);
  }
  state.radius.fill(RADIUS);
  state.mass.fill(MASS);
  return state;
}

export function b3(size: Size): BenchCase {
  const n = 100_000;
  const steps = size === 'quick' ? 3 : 10;
  const workload: Workload = {
    id: 'B3',
    title: `collisions + bounds, N = 100,000, r = ${RADIUS}, box ${BOX}³`,
    n,
    steps,
    dt: 0.01,
    physics: { kernel: 'contacts', box: BOX, restitution: 1 },
    createState: () => jitteredGasState(n, BOX, SPEED),
    work: { perRun: steps, unit: 'steps/s', convention: 'steps of the whole system' },
    c: { program: 'b3', args: [BOX, SPEED] },
    tolerance: 1e-3,
    notes: [
      `density ${(n / BOX ** 3).toFixed(3)}/unit³: ~${((27 * n) / BOX ** 3).toFixed(1)} other particles per particle in the 27-cell stencil (cell = 2r = 1), 19% volume fraction`,
    ],
  };
  return { workload, targets: [{ runner: 'avx2', throughputAtLeast: 200, unit: 'steps/s' }] };
}
