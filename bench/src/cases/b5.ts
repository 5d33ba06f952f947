/**
 * B5: 100,000 soft spheres (DEM) settling in a box under gravity: contacts({ model: 'hooke' }) with
 * restitution 0.3, uniform gravity, bounds (restitution 0.3), velocity Verlet, dt = 5e-4. Reported
 * in steps/s.
 *
 * Initial state (seed 5): a dense pile, 47 × 47 columns of 46 spheres of radius 0.5 on a cubic
 * lattice of spacing 0.99 (every lattice neighbour overlaps by ~0.01: ~6 contacts per sphere from
 * the first step), each site jittered by up to ±0.005 per axis, at rest, in the box [0, 47] × [0, 60]
 * × [0, 47]: the pile relaxes its compression and settles under its weight. k = 2e4 and m = 1 give
 * ω·dt = sqrt(k/m_eff)·dt = 0.1 (~60 steps per contact).
 */
import { ParticleState } from '@brokenrecord/core';
import { mulberry32 } from '../random.js';
import type { Workload } from '../workload.js';
import type { BenchCase, Size } from './case.js';

const SEED = 5;
const RADIUS = 0.5; // also RADIUS in c/b5.c
const MASS = 1; // also MASS in c/b5.c
const SPACING = 0.99;
const JITTER = 0.01;
const COLUMNS = 47;
export const B5_BOX: [number, number, number] = [47, 60, 47];
export const B5_STIFFNESS = 2e4;
export const B5_RESTITUTION = 0.3;

/** Same draws, same order and same float64 arithmetic before rounding as init_state in c/b5.c. */
export function settlingPileState(n: number): ParticleState {
  const random = mulberry32(SEED);
  const state = ParticleState.create(n);
  const positions = [state.px, state.py, state.pz];
  for (let i = 0; i < n; i++) {
    const site = [i % COLUMNS, Math.floor(i / (COLUMNS * COLUMNS)), Math.floor(i / COLUMNS) % COLUMNS];
    for (let a = 0; a < 3; a++) positions[a][i] = RADIUS + site[a] * SPACING + (random() - 0.5) * JITTER;
  }
  state.radius.fill(RADIUS);
  state.mass.fill(MASS);
  return state;
}

export function b5(size: Size): BenchCase {
  const n = 100_000;
  const steps = size === 'quick' ? 3 : 10;
  const workload: Workload = {
    id: 'B5',
    title: `soft-sphere contacts (hooke) + gravity + bounds, N = 100,000, r = ${RADIUS}, settling pile`,
    n,
    steps,
    dt: 5e-4,
    integrator: 'verlet',
    physics: { kernel: 'softSpheres', box: B5_BOX, stiffness: B5_STIFFNESS, restitution: B5_RESTITUTION, g: [0, -9.81, 0] },
    createState: () => settlingPileState(n),
    work: { perRun: steps, unit: 'steps/s', convention: 'steps of the whole system' },
    c: { program: 'b5', args: [B5_STIFFNESS, B5_RESTITUTION] },
    tolerance: 1e-3,
    notes: [
      `${COLUMNS}×${COLUMNS} columns × ${Math.ceil(n / COLUMNS ** 2)} layers at spacing ${SPACING}: ~6 contacts per sphere; two force evaluations per verlet step`,
    ],
  };
  return { workload, targets: [] };
}
