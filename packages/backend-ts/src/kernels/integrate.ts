import type { CompiledForces } from '../codegen/compile.js';
import type { StepPlan } from '../plan.js';
import type { Workspace } from '../workspace.js';
import { clampToBox, reflectAtWalls } from './bounds.js';
import { buildGrid, gridHasContacts } from './broadphase.js';
import { resolveCollisions } from './collisions.js';
import { contactForces } from './contacts.js';
import { positionForces } from './expression-forces.js';
import { accelerations } from './forces.js';
import { fusedSteps } from './fused.js';
import { wrapIntoBox } from './periodic.js';

/**
 * How the participants stepping one state together meet. A thread owns the particles lo..hi−1 and
 * writes only theirs, but reads everybody's positions (forces, grid) and velocities (contacts);
 * `barrier()` separates the phases where that matters. Single-threaded, it does nothing.
 */
export interface PhaseSync {
  barrier(): void;
  /** Exactly one participant builds the shared grids. */
  readonly leader: boolean;
  /** This participant's number (0 = the calling thread) and how many step together. */
  readonly rank: number;
  readonly parties: number;
}

export const SINGLE_THREAD: PhaseSync = { barrier() {}, leader: true, rank: 0, parties: 1 };

export interface AdvanceOptions {
  /** verlet: fx/fy/fz already hold the position-dependent accelerations of the current state (cached). */
  forcesValid: boolean;
  /** Use step fusion when the plan allows it (turned off only to test that fusion changes nothing). */
  fuse: boolean;
  /** The simulation's step count before this call: step s of the call starts at t = (from + s)·dt. */
  from: number;
}

/**
 * Advances particles lo..hi−1 of `ws` by `steps` steps, in the order of docs/physics.md. Every
 * participant calls it with its own range and the same plan and step count; with a single
 * participant the range is everything. For verlet it leaves fx/fy/fz holding the
 * position-dependent accelerations of the final positions and time (the cache).
 */
export function advance(
  plan: StepPlan,
  forces: CompiledForces | null,
  ws: Workspace,
  lo: number,
  hi: number,
  steps: number,
  sync: PhaseSync,
  options: AdvanceOptions,
): void {
  if (steps === 0) return;
  if (plan.perParticle && options.fuse) {
    // No particle reads another: no phases to separate, each range runs all steps alone.
    fusedSteps(plan, ws, lo, hi, steps);
    return;
  }
  const time = (s: number) => (options.from + s) * plan.dt;
  if (plan.integrator === 'euler') {
    for (let s = 0; s < steps; s++) eulerStep(plan, forces, ws, lo, hi, sync, time(s));
    return;
  }
  if (plan.positionForces && !options.forcesValid) {
    positionForces(plan, forces, ws, lo, hi, time(0), sync); // positions are stable here...
    sync.barrier(); // ...until everyone has read them
  }
  for (let s = 0; s < steps; s++) verletStep(plan, forces, ws, lo, hi, sync, time(s), time(s + 1));
}

/** a = (g − k·v) + the position-dependent part + the fields that read v, for particles lo..hi−1. */
function kickAccelerations(plan: StepPlan, forces: CompiledForces | null, ws: Workspace, lo: number, hi: number, t: number): void {
  accelerations(plan, ws, lo, hi);
  forces?.kernels.velocity?.(ws, lo, hi, t);
}

/** Semi-implicit Euler: forces, v += a·dt, contacts, x += v·dt, clamp or wrap. */
function eulerStep(plan: StepPlan, forces: CompiledForces | null, ws: Workspace, lo: number, hi: number, sync: PhaseSync, t: number): void {
  if (plan.collisions !== null && sync.leader) buildGrid(ws.grid, ws.px, ws.py, ws.pz, ws.radius, ws.count, plan.periodic);
  if (plan.positionForces) positionForces(plan, forces, ws, lo, hi, t, sync);
  kickAccelerations(plan, forces, ws, lo, hi, t);
  if (plan.contacts) contactForces(plan.contacts, ws, lo, hi, sync);
  kick(ws, lo, hi, plan.dt);
  sync.barrier(); // everyone is done reading positions for forces; velocities and the grid are ready
  contacts(plan, ws, lo, hi, sync);
  drift(plan, ws, lo, hi);
  sync.barrier(); // positions complete for the next step's forces and grid
}

/**
 * Velocity Verlet (kick-drift-kick). Step 1's forces are evaluated at the current velocities, but
 * their position-dependent part (at x_k, t_k) is the one step 5 of the previous step computed: it
 * is reused from fx/fy/fz. Drag and the fields that read v are evaluated again.
 */
function verletStep(
  plan: StepPlan,
  forces: CompiledForces | null,
  ws: Workspace,
  lo: number,
  hi: number,
  sync: PhaseSync,
  t0: number,
  t1: number,
): void {
  const half = plan.dt * 0.5;
  if (plan.collisions !== null && sync.leader) buildGrid(ws.grid, ws.px, ws.py, ws.pz, ws.radius, ws.count, plan.periodic);
  kickAccelerations(plan, forces, ws, lo, hi, t0);
  if (plan.contacts) contactForces(plan.contacts, ws, lo, hi, sync);
  kick(ws, lo, hi, half);
  // Positions are already stable (last barrier of the previous step); contacts need every kick and the grid.
  if (plan.collisions !== null) sync.barrier();
  contacts(plan, ws, lo, hi, sync);
  drift(plan, ws, lo, hi);
  sync.barrier(); // positions complete for the forces
  if (plan.positionForces) positionForces(plan, forces, ws, lo, hi, t1, sync);
  kickAccelerations(plan, forces, ws, lo, hi, t1);
  if (plan.contacts) contactForces(plan.contacts, ws, lo, hi, sync);
  kick(ws, lo, hi, half);
  sync.barrier(); // everyone is done reading positions before anyone drifts or builds the grid again
}

/** v += a·h for particles lo..hi−1. */
function kick(ws: Workspace, lo: number, hi: number, h: number): void {
  const { vx, vy, vz, ax, ay, az } = ws;
  for (let i = lo; i < hi; i++) {
    vx[i] = vx[i] + ax[i] * h;
    vy[i] = vy[i] + ay[i] * h;
    vz[i] = vz[i] + az[i] * h;
  }
}

/**
 * Contact phase: collisions, then walls. The collisions are resolved by the leader alone (their
 * order is the physics, docs/physics.md), with everyone else waiting at the barrier after it.
 */
function contacts(plan: StepPlan, ws: Workspace, lo: number, hi: number, sync: PhaseSync): void {
  if (plan.collisions !== null && gridHasContacts(ws.grid)) {
    if (sync.leader && resolveCollisions(ws, plan.collisions)) ws.contacts.unresolvedSteps++;
    sync.barrier(); // every velocity final before any thread reflects its particles at the walls
  }
  if (plan.bounds) reflectAtWalls(ws, plan.bounds, lo, hi);
}

/** x += v·dt, then the bounds clamp or the periodic wrap. */
function drift(plan: StepPlan, ws: Workspace, lo: number, hi: number): void {
  const { px, py, pz, vx, vy, vz } = ws;
  const dt = plan.dt;
  for (let i = lo; i < hi; i++) {
    px[i] = px[i] + vx[i] * dt;
    py[i] = py[i] + vy[i] * dt;
    pz[i] = pz[i] + vz[i] * dt;
  }
  if (plan.bounds) clampToBox(ws, plan.bounds, lo, hi);
  if (plan.periodic) wrapIntoBox(ws, plan.periodic, lo, hi);
}
