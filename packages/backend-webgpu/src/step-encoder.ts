import type { GpuBuffers } from './buffers.js';
import { MAX_WORKGROUPS_PER_DIMENSION } from './gpu-constants.js';
import type { GridPlan } from './grid-plan.js';
import { COLLISIONS_WORKGROUP } from './kernels/collisions.js';
import { DRIFT_WORKGROUP } from './kernels/drift.js';
import { FUSED_WORKGROUP } from './kernels/fused.js';
import { GRID_BOUNDS_WORKGROUP } from './kernels/grid-bounds.js';
import { GRID_COUNT_WORKGROUP } from './kernels/grid-count.js';
import { GRID_SCATTER_WORKGROUP } from './kernels/grid-scatter.js';
import { KICK_WORKGROUP } from './kernels/kick.js';
import { PAIRWISE_TILE } from './kernels/pairwise-gravity.js';
import { SCAN_ADD_WORKGROUP, SCAN_BLOCK } from './kernels/scan.js';
import type { KernelName, Kernels } from './pipelines.js';
import type { StepPlan } from './plan.js';
import type { StageSlots } from './stages.js';

/**
 * Encodes whole steps into a compute pass in the order of docs/physics.md. Nothing here waits for
 * the GPU: every step of a call is recorded up front and the GPU runs them back to back (WebGPU
 * orders the dispatches of a pass and makes each one's writes visible to the next).
 */

/** Steps per dispatch of the fused per-particle kernel: long enough to amortise the dispatch, short enough for GPU watchdogs. */
export const FUSED_CHUNK = 64;

export interface StepTarget {
  plan: StepPlan;
  count: number;
  kernels: Kernels;
  buffers: GpuBuffers;
  stages: StageSlots;
}

/** The stage slots a plan's steps and diagnostics use (see writeStages). */
export function stageNames(plan: StepPlan, grid: GridPlan): string[] {
  return [
    'none',
    'kickFull',
    'kickHalf',
    'fusedChunk',
    'fusedRest',
    ...plan.pairwise.map((_, k) => `pairwise${k}`),
    ...(plan.collisions !== null ? grid.levels.map((_, k) => `scan${k}`) : []),
  ];
}

export function writeStages(stages: StageSlots, plan: StepPlan, grid: GridPlan): void {
  const dt = Math.fround(plan.dt);
  stages.write('kickFull', [{ f32: dt }]);
  stages.write('kickHalf', [{ f32: dt / 2 }]);
  stages.write('fusedChunk', [{ u32: FUSED_CHUNK }]);
  plan.pairwise.forEach((term, k) => stages.write(`pairwise${k}`, [{ f32: term.G }, { f32: term.softening2 }, { u32: k === 0 ? 1 : 0 }]));
  if (plan.collisions !== null) {
    grid.levels.forEach((level, k) =>
      stages.write(`scan${k}`, [{ u32: level.input }, { u32: level.output }, { u32: level.sums }, { u32: level.length }]),
    );
  }
}

/** Records a dispatch of `items` invocations, split over y beyond 65535 workgroups (see flatIndex). */
export function dispatch(
  pass: GPUComputePassEncoder,
  target: StepTarget,
  kernel: KernelName,
  items: number,
  workgroupSize: number,
  stage = 'none',
): void {
  const groups = Math.ceil(items / workgroupSize);
  if (groups === 0) return;
  pass.setPipeline(target.kernels.pipelines[kernel]);
  pass.setBindGroup(1, target.stages.bindGroup, [target.stages.offset(stage)]);
  if (groups <= MAX_WORKGROUPS_PER_DIMENSION) pass.dispatchWorkgroups(groups);
  else pass.dispatchWorkgroups(MAX_WORKGROUPS_PER_DIMENSION, Math.ceil(groups / MAX_WORKGROUPS_PER_DIMENSION));
}

/**
 * Records `steps` steps. `pairwiseCached`: Verlet only, the pairwise scratch already holds the
 * accelerations of the current positions (computed by the last step's drift). Returns whether it
 * holds them afterwards.
 */
export function encodeSteps(pass: GPUComputePassEncoder, target: StepTarget, steps: number, pairwiseCached: boolean): boolean {
  const { plan, count } = target;
  if (steps === 0 || count === 0) return pairwiseCached;
  pass.setBindGroup(0, target.buffers.bindGroup);
  if (plan.perParticle) {
    encodeFusedSteps(pass, target, steps);
    return false;
  }
  if (plan.integrator === 'euler') {
    for (let s = 0; s < steps; s++) {
      pairwiseForces(pass, target);
      dispatch(pass, target, 'kick', count, KICK_WORKGROUP, 'kickFull');
      contactsAndDrift(pass, target);
    }
    return false;
  }
  if (!pairwiseCached) pairwiseForces(pass, target);
  for (let s = 0; s < steps; s++) {
    dispatch(pass, target, 'kick', count, KICK_WORKGROUP, 'kickHalf');
    contactsAndDrift(pass, target);
    pairwiseForces(pass, target);
    dispatch(pass, target, 'kick', count, KICK_WORKGROUP, 'kickHalf');
  }
  return plan.pairwise.length > 0;
}

/** The fused kernel runs FUSED_CHUNK steps per dispatch, then the remainder (its slot is written here). */
function encodeFusedSteps(pass: GPUComputePassEncoder, target: StepTarget, steps: number): void {
  const whole = Math.floor(steps / FUSED_CHUNK);
  const rest = steps % FUSED_CHUNK;
  for (let k = 0; k < whole; k++) dispatch(pass, target, 'fusedSteps', target.count, FUSED_WORKGROUP, 'fusedChunk');
  if (rest > 0) {
    target.stages.write('fusedRest', [{ u32: rest }]);
    dispatch(pass, target, 'fusedSteps', target.count, FUSED_WORKGROUP, 'fusedRest');
  }
}

/** Every pairwise rule, in rule order, into the pairwise scratch (the first overwrites). */
function pairwiseForces(pass: GPUComputePassEncoder, target: StepTarget): void {
  target.plan.pairwise.forEach((_, k) => dispatch(pass, target, 'pairwiseAcceleration', target.count, PAIRWISE_TILE, `pairwise${k}`));
}

/** Contact phase (collisions through the grid, then bounds) and the drift. */
function contactsAndDrift(pass: GPUComputePassEncoder, target: StepTarget): void {
  if (target.plan.collisions !== null) collisionImpulses(pass, target);
  dispatch(pass, target, 'contactsAndDrift', target.count, DRIFT_WORKGROUP);
}

/** Builds the uniform grid from the current positions and computes every particle's Δv. */
function collisionImpulses(pass: GPUComputePassEncoder, target: StepTarget): void {
  const { count } = target;
  const grid = target.buffers.grid;
  dispatch(pass, target, 'resetBounds', 1, 1);
  dispatch(pass, target, 'reduceBounds', count, GRID_BOUNDS_WORKGROUP);
  dispatch(pass, target, 'sizeGrid', 1, 1);
  dispatch(pass, target, 'clearCounts', grid.cellEntries, GRID_COUNT_WORKGROUP);
  dispatch(pass, target, 'countCells', count, GRID_COUNT_WORKGROUP);
  // One workgroup per block of SCAN_BLOCK elements.
  grid.levels.forEach((level, k) => dispatch(pass, target, 'scanBlocks', level.length, SCAN_BLOCK, `scan${k}`));
  for (let k = grid.levels.length - 2; k >= 0; k--) {
    dispatch(pass, target, 'addBlockOffsets', grid.levels[k].length, SCAN_ADD_WORKGROUP, `scan${k}`);
  }
  dispatch(pass, target, 'copyStartsToCursors', grid.cellEntries, SCAN_ADD_WORKGROUP);
  dispatch(pass, target, 'scatterParticles', count, GRID_SCATTER_WORKGROUP);
  dispatch(pass, target, 'sortCells', grid.cellCapacity, GRID_SCATTER_WORKGROUP);
  dispatch(pass, target, 'gatherInCellOrder', count, COLLISIONS_WORKGROUP);
  dispatch(pass, target, 'collisionImpulses', count, COLLISIONS_WORKGROUP);
}
