import type { StepPlan } from '../plan.js';
import type { Workspace } from '../workspace.js';
import { clampToBox, reflectAtWalls } from './bounds.js';
import { buildGrid, gridHasContacts } from './broadphase.js';
import { applyImpulses, collisionImpulses } from './collisions.js';
import { accelerations, pairwiseForces } from './forces.js';
import { fusedSteps } from './fused.js';

/**
 * How the participants stepping one state together meet. A thread owns the particles lo..hi−1 and
 * writes only theirs, but reads everybody's positions (forces, grid) and velocities (contacts);
 * `barrier()` separates the phases where that matters. Single-threaded, it does nothing.
 */
export interface PhaseSync {
  barrier(): void;
  /** Exactly one participant builds the shared contact grid. */
  readonly leader: boolean;
}

export const SINGLE_THREAD: PhaseSync = { barrier() {}, leader: true };

export interface AdvanceOptions {
  /** verlet: fx/fy/fz already hold the pairwise gravity of the current positions (cached). */
  pairwiseValid: boolean;
  /** Use step fusion when the plan allows it (turned off only to test that fusion changes nothing). */
  fuse: boolean;
}

/**
 * Advances particles lo..hi−1 of `ws` by `steps` steps, in the order of docs/physics.md. Every
 * participant calls it with its own range and the same plan and step count; with a single
 * participant the range is everything. For verlet it leaves fx/fy/fz holding the pairwise gravity
 * of the final positions (the cache).
 */
export function advance(plan: StepPlan, ws: Workspace, lo: number, hi: number, steps: number, sync: PhaseSync, options: AdvanceOptions): void {
  if (steps === 0) return;
  if (plan.perParticle && options.fuse) {
    // No particle reads another: no phases to separate, each range runs all steps alone.
    fusedSteps(plan, ws, lo, hi, steps);
    return;
  }
  if (plan.integrator === 'euler') {
    for (let s = 0; s < steps; s++) eulerStep(plan, ws, lo, hi, sync);
    return;
  }
  if (plan.pairwise.length > 0 && !options.pairwiseValid) {
    pairwiseForces(plan, ws, lo, hi); // positions are stable here...
    sync.barrier(); // ...until everyone has read them
  }
  for (let s = 0; s < steps; s++) verletStep(plan, ws, lo, hi, sync);
}

/** Semi-implicit Euler: forces, v += a·dt, contacts, x += v·dt, clamp. */
function eulerStep(plan: StepPlan, ws: Workspace, lo: number, hi: number, sync: PhaseSync): void {
  if (plan.collisions !== null && sync.leader) buildGrid(ws.grid, ws.px, ws.py, ws.pz, ws.radius, ws.count);
  pairwiseForces(plan, ws, lo, hi);
  accelerations(plan, ws, lo, hi);
  kick(ws, lo, hi, plan.dt);
  sync.barrier(); // everyone is done reading positions for forces; velocities and the grid are ready
  contacts(plan, ws, lo, hi, sync);
  drift(plan, ws, lo, hi);
  sync.barrier(); // positions complete for the next step's forces and grid
}

/**
 * Velocity Verlet (kick-drift-kick). Step 1's forces are evaluated at the current velocities, but
 * their pairwise part depends on positions only and is the one step 5 of the previous step
 * computed: it is reused from fx/fy/fz.
 */
function verletStep(plan: StepPlan, ws: Workspace, lo: number, hi: number, sync: PhaseSync): void {
  const half = plan.dt * 0.5;
  if (plan.collisions !== null && sync.leader) buildGrid(ws.grid, ws.px, ws.py, ws.pz, ws.radius, ws.count);
  accelerations(plan, ws, lo, hi);
  kick(ws, lo, hi, half);
  // Positions are already stable (last barrier of the previous step); contacts need every kick and the grid.
  if (plan.collisions !== null) sync.barrier();
  contacts(plan, ws, lo, hi, sync);
  drift(plan, ws, lo, hi);
  sync.barrier(); // positions complete for the forces
  pairwiseForces(plan, ws, lo, hi);
  accelerations(plan, ws, lo, hi);
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

/** Contact phase: collisions (Jacobi: all impulses from the same velocities), then walls. */
function contacts(plan: StepPlan, ws: Workspace, lo: number, hi: number, sync: PhaseSync): void {
  if (plan.collisions !== null && gridHasContacts(ws.grid)) {
    collisionImpulses(ws, plan.collisions, lo, hi);
    sync.barrier(); // every Δv computed from the old velocities before any is applied
    applyImpulses(ws, lo, hi);
  }
  if (plan.bounds) reflectAtWalls(ws, plan.bounds, lo, hi);
}

/** x += v·dt, then the bounds clamp. */
function drift(plan: StepPlan, ws: Workspace, lo: number, hi: number): void {
  const { px, py, pz, vx, vy, vz } = ws;
  const dt = plan.dt;
  for (let i = lo; i < hi; i++) {
    px[i] = px[i] + vx[i] * dt;
    py[i] = py[i] + vy[i] * dt;
    pz[i] = pz[i] + vz[i] * dt;
  }
  if (plan.bounds) clampToBox(ws, plan.bounds, lo, hi);
}
