import type { CompiledForces } from '../codegen/compile.js';
import type { StepPlan } from '../plan.js';
import type { Workspace } from '../workspace.js';
import { pairwiseForces } from './forces.js';
import type { PhaseSync } from './integrate.js';
import { buildPairGrid, cellBound, packGrid, packRows, periodicShape, rowBound } from './pair-grid.js';

/**
 * The position-dependent accelerations fx/fy/fz of particles lo..hi−1 at time t, in the order of
 * docs/physics.md: pairwise gravity, then the external forces and fields (per particle), then the
 * pair and bond forces. Pair and bond loops run as a half shell (each pair once, Newton's third
 * law): every thread adds into a force buffer of its own, and after a barrier each thread sums
 * all buffers for its own particles, so no two threads ever write the same memory.
 *
 * Every participant calls this with its own range; the barriers inside are reached by all of them
 * (each decision below depends only on the plan, the particle count and the box).
 */
export function positionForces(
  plan: StepPlan,
  forces: CompiledForces | null,
  ws: Workspace,
  lo: number,
  hi: number,
  t: number,
  sync: PhaseSync,
): void {
  const { fx, fy, fz } = ws;
  if (plan.pairwise.length > 0) pairwiseForces(plan, ws, lo, hi, sync);
  else {
    fx.fill(0, lo, hi);
    fy.fill(0, lo, hi);
    fz.fill(0, lo, hi);
  }
  if (!forces) return;
  const { spec, kernels } = forces;
  const n = ws.count;
  const { rank, parties } = sync;
  const ps = ws.pair;
  let grid = false;
  let rows = spec.rows;
  if (spec.grid) {
    const reach = plan.kernel.maxCutoff;
    const shape = spec.periodic ? periodicShape(spec.periodic, reach, n) : null;
    if (spec.periodic && !shape) rows = spec.periodicRows;
    else {
      grid = true;
      if (sync.leader) buildPairGrid(ps!, ws, reach, spec.periodic, shape);
      sync.barrier(); // the grid is complete before anyone packs by it
    }
  }
  const bonds = spec.bonds.length > 0;
  if (grid)
    packGrid(
      ps!,
      ws,
      spec.grid!.packed,
      spec.grid!.stride,
      spec.periodic,
      Math.floor((rank * n) / parties),
      Math.floor(((rank + 1) * n) / parties),
    );
  if (rows) packRows(ps!, ws, rows.packed, rows.stride, lo, hi);
  const slotForces = grid ? ps!.slotForces[rank] : null;
  const particleForces = rows || bonds ? ps!.particleForces[rank] : null;
  slotForces?.fill(0, 0, 3 * n);
  particleForces?.fill(0, 0, 3 * n);
  if (grid || rows) sync.barrier(); // every packed copy is complete

  if (grid) kernels.pairGrid!(ws, cellBound(ps!, rank, parties, n), cellBound(ps!, rank + 1, parties, n), slotForces!);
  if (rows)
    (rows === spec.rows ? kernels.pairRows! : kernels.pairRowsPeriodic!)(
      ws,
      rowBound(rank, parties, n),
      rowBound(rank + 1, parties, n),
      particleForces!,
    );
  for (let k = 0; k < kernels.bonds.length; k++) {
    const count = ws.topology.bonds[k].count;
    kernels.bonds[k](ws, Math.floor((rank * count) / parties), Math.floor(((rank + 1) * count) / parties), particleForces!);
  }
  kernels.particle?.(ws, lo, hi, t);
  if (!grid && !particleForces) return;
  if (parties > 1) sync.barrier(); // every thread's buffers are complete
  reduce(
    ws,
    lo,
    hi,
    grid ? ps!.slotForces.slice(0, parties) : null,
    ps!.slotOf,
    particleForces ? ps!.particleForces.slice(0, parties) : null,
  );
}

/** fx/fy/fz of particles lo..hi−1 += (Σ_threads pair and bond forces) / m. */
function reduce(
  ws: Workspace,
  lo: number,
  hi: number,
  slotForces: Float64Array[] | null,
  slotOf: Int32Array,
  particleForces: Float64Array[] | null,
): void {
  const { fx, fy, fz, mass } = ws;
  const ns = slotForces ? slotForces.length : 0;
  const np = particleForces ? particleForces.length : 0;
  for (let i = lo; i < hi; i++) {
    let sx = 0,
      sy = 0,
      sz = 0;
    if (ns > 0) {
      const q = 3 * slotOf[i];
      for (let t = 0; t < ns; t++) {
        const b = slotForces![t];
        sx += b[q];
        sy += b[q + 1];
        sz += b[q + 2];
      }
    }
    if (np > 0) {
      const q = 3 * i;
      for (let t = 0; t < np; t++) {
        const b = particleForces![t];
        sx += b[q];
        sy += b[q + 1];
        sz += b[q + 2];
      }
    }
    const m = mass[i];
    fx[i] += sx / m;
    fy[i] += sy / m;
    fz[i] += sz / m;
  }
}
