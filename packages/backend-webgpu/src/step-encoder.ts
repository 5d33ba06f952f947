import type { GpuBuffers } from './buffers.js';
import { CUSTOM_WORKGROUP, type CustomEntry } from './codegen/custom-module.js';
import type { CustomKernels } from './codegen/module-cache.js';
import { MAX_WORKGROUPS_PER_DIMENSION } from './gpu-constants.js';
import type { GpuPlan } from './gpu-plan.js';
import type { GridPlan } from './grid-plan.js';
import { COLLISIONS_WORKGROUP, RESOLVE_WORKGROUP } from './kernels/collisions.js';
import { CONTACTS_WORKGROUP } from './kernels/contacts.js';
import { DRIFT_WORKGROUP } from './kernels/drift.js';
import { FUSED_WORKGROUP } from './kernels/fused.js';
import { GRID_BOUNDS_WORKGROUP } from './kernels/grid-bounds.js';
import { GRID_COUNT_WORKGROUP } from './kernels/grid-count.js';
import { GRID_SCATTER_WORKGROUP } from './kernels/grid-scatter.js';
import { KICK_WORKGROUP } from './kernels/kick.js';
import { SCAN_ADD_WORKGROUP, SCAN_BLOCK } from './kernels/scan.js';
import type { KernelName, Kernels } from './pipelines.js';
import type { StageSlots } from './stages.js';
import { encodePairwiseGravity, writeTreeStages } from './tree-encoder.js';
import { treeBuildDispatches, treeStageNames, type TreePlan } from './tree-plan.js';

/**
 * Encodes whole steps into a compute pass in the order of docs/physics.md. Nothing here waits for
 * the GPU: every step of a call is recorded up front and the GPU runs them back to back (WebGPU
 * orders the dispatches of a pass and makes each one's writes visible to the next).
 */

/** Steps per dispatch of the fused per-particle kernel: long enough to amortise the dispatch, short enough for GPU watchdogs. */
export const FUSED_CHUNK = 64;

export interface StepTarget {
  plan: GpuPlan;
  count: number;
  kernels: Kernels;
  buffers: GpuBuffers;
  stages: StageSlots;
  /** The system's generated kernels and their bind group (null without expression rules). */
  custom: CustomKernels | null;
  customGroup: GPUBindGroup | null;
}

/** The stage slots a plan's steps and diagnostics use (see writeStages). */
export function stageNames(plan: GpuPlan, grid: GridPlan, tree: TreePlan | null): string[] {
  return [
    'none',
    'kickFull',
    'kickHalf',
    'fusedChunk',
    'fusedRest',
    'oneStep',
    ...plan.pairwise.map((_, k) => `pairwise${k}`),
    ...(plan.grid ? grid.levels.map((_, k) => `scan${k}`) : []),
    ...(tree ? treeStageNames(tree, plan.pairwise.length) : []),
    'contactsFirst',
    'contactsAdd',
  ];
}

export function writeStages(stages: StageSlots, plan: GpuPlan, grid: GridPlan, tree: TreePlan | null): void {
  const dt = Math.fround(plan.dt);
  stages.write('kickFull', [{ f32: dt }]);
  stages.write('kickHalf', [{ f32: dt / 2 }]);
  stages.write('fusedChunk', [{ u32: FUSED_CHUNK }]);
  stages.write('oneStep', [{ u32: 1 }]);
  stages.write('contactsFirst', [{ u32: 1 }]);
  stages.write('contactsAdd', [{ u32: 0 }]);
  plan.pairwise.forEach((term, k) => stages.write(`pairwise${k}`, [{ f32: term.G }, { f32: term.eps2 }, { u32: k === 0 ? 1 : 0 }]));
  if (plan.grid) {
    grid.levels.forEach((level, k) =>
      stages.write(`scan${k}`, [{ u32: level.input }, { u32: level.output }, { u32: level.sums }, { u32: level.length }]),
    );
  }
  if (tree) writeTreeStages(stages, tree, plan.pairwise);
}

/** Dispatches of one step at most (to split long calls into submissions). */
export function dispatchesPerStep(plan: GpuPlan, grid: GridPlan, tree: TreePlan | null): number {
  const gridBuild = plan.grid ? 9 + 2 * grid.levels.length : 0;
  const treeBuild = tree ? treeBuildDispatches(tree) : 0;
  const forces = plan.pairwise.length + treeBuild + (plan.gridPairs ? gridBuild + 1 : 0) + (plan.allPairs ? 1 : 0) + 1;
  const contacts = plan.collisions !== null ? gridBuild + 3 : 0;
  // Soft contacts before each kick: the grid (when positions moved), the records, the forces.
  const soft = plan.contacts !== null ? gridBuild + 2 : 0;
  return 2 * forces + 2 + contacts + 2 * soft + 2;
}

function launch(
  pass: GPUComputePassEncoder,
  pipeline: GPUComputePipeline,
  target: StepTarget,
  items: number,
  workgroupSize: number,
  stage: string,
): void {
  const groups = Math.ceil(items / workgroupSize);
  if (groups === 0) return;
  pass.setPipeline(pipeline);
  pass.setBindGroup(1, target.stages.bindGroup, [target.stages.offset(stage)]);
  if (groups <= MAX_WORKGROUPS_PER_DIMENSION) pass.dispatchWorkgroups(groups);
  else pass.dispatchWorkgroups(MAX_WORKGROUPS_PER_DIMENSION, Math.ceil(groups / MAX_WORKGROUPS_PER_DIMENSION));
}

/** Records a dispatch of `items` invocations of a hand-written kernel, split over y beyond 65535 workgroups (see flatIndex). */
export function dispatch(
  pass: GPUComputePassEncoder,
  target: StepTarget,
  kernel: KernelName,
  items: number,
  workgroupSize: number,
  stage = 'none',
): void {
  pass.setBindGroup(0, target.buffers.bindGroup);
  launch(pass, target.kernels.pipelines[kernel], target, items, workgroupSize, stage);
}

/**
 * One pass being recorded: switches group 0 between the hand-written kernels' bind group and the
 * generated kernels' (topology at binding 8) only when the kernel kind changes, and knows whether
 * the grid still matches the positions (built since the last drift).
 */
class Recorder {
  readonly pass: GPUComputePassEncoder;
  readonly target: StepTarget;
  #group: GPUBindGroup | null = null;
  gridFresh = false;

  constructor(pass: GPUComputePassEncoder, target: StepTarget) {
    this.pass = pass;
    this.target = target;
  }

  preset(kernel: KernelName, items: number, workgroupSize: number, stage = 'none'): void {
    this.over(this.target.buffers.bindGroup, kernel, items, workgroupSize, stage);
  }

  /** A hand-written kernel over another group 0 of the shared layout (the tree's: tree-buffers.ts). */
  over(group: GPUBindGroup, kernel: KernelName, items: number, workgroupSize: number, stage = 'none'): void {
    this.#use(group);
    launch(this.pass, this.target.kernels.pipelines[kernel], this.target, items, workgroupSize, stage);
  }

  has(entry: CustomEntry): boolean {
    return this.target.custom?.pipelines[entry] !== undefined;
  }

  custom(entry: CustomEntry, items: number, workgroupSize: number, stage = 'none'): void {
    const pipeline = this.target.custom?.pipelines[entry];
    if (!pipeline) throw new Error(`webgpu: the generated module has no '${entry}' kernel`);
    this.#use(this.target.customGroup!);
    launch(this.pass, pipeline, this.target, items, workgroupSize, stage);
  }

  #use(group: GPUBindGroup): void {
    if (this.#group === group) return;
    this.pass.setBindGroup(0, group);
    this.#group = group;
  }
}

/**
 * Records `steps` steps. `cached`: Verlet only, the scratch already holds the position-dependent
 * accelerations of the current positions (computed by the last step's second evaluation).
 * Returns whether it holds them afterwards.
 */
export function encodeSteps(pass: GPUComputePassEncoder, target: StepTarget, steps: number, cached: boolean): boolean {
  const { plan, count } = target;
  if (steps === 0 || count === 0) return cached;
  const rec = new Recorder(pass, target);
  if (plan.perParticle) {
    encodeFusedSteps(rec, steps);
    return false;
  }
  if (plan.integrator === 'euler') {
    for (let s = 0; s < steps; s++) {
      forces(rec);
      kick(rec, 'kickFull');
      contactsAndDrift(rec);
    }
    return false;
  }
  if (!cached) forces(rec);
  for (let s = 0; s < steps; s++) {
    kick(rec, 'kickHalf');
    contactsAndDrift(rec);
    forces(rec);
    kick(rec, 'kickHalf');
  }
  return plan.cachedForces;
}

/**
 * The per-particle shares of every potential energy of the current positions (at the clock's
 * time), into the potential column of the scratch, for the diagnostics reduction.
 */
export function encodePotentials(pass: GPUComputePassEncoder, target: StepTarget): void {
  const { plan, count } = target;
  if (count === 0) return;
  const rec = new Recorder(pass, target);
  if (plan.gridPairs) {
    buildGrid(rec);
    rec.custom('customGather', count, CUSTOM_WORKGROUP);
  }
  encodePairwiseGravity(rec, plan.pairwise, rec.target.buffers.tree, count, 'potential');
  if (rec.has('customAllPairsPotential')) rec.custom('customAllPairsPotential', count, CUSTOM_WORKGROUP);
  if (rec.has('customPotential')) rec.custom('customPotential', count, CUSTOM_WORKGROUP);
  if (plan.contacts) {
    // Last, so it is the first share only when no other rule has a potential.
    const first = plan.pairwise.length + plan.pairs.length + plan.bonds.length + plan.external.length === 0;
    buildGrid(rec);
    rec.preset('gatherContactRecords', count, CONTACTS_WORKGROUP);
    rec.preset('contactPotential', count, CONTACTS_WORKGROUP, first ? 'contactsFirst' : 'contactsAdd');
  }
}

/** The fused kernel runs FUSED_CHUNK steps per dispatch, then the remainder (its slot is written here). */
function encodeFusedSteps(rec: Recorder, steps: number): void {
  const { target } = rec;
  const whole = Math.floor(steps / FUSED_CHUNK);
  const rest = steps % FUSED_CHUNK;
  const run = (stage: string) => {
    if (target.custom) rec.custom('customFused', target.count, CUSTOM_WORKGROUP, stage);
    else rec.preset('fusedSteps', target.count, FUSED_WORKGROUP, stage);
    if (target.plan.usesTime) rec.custom('advanceClock', 1, 1, stage);
  };
  for (let k = 0; k < whole; k++) run('fusedChunk');
  if (rest > 0) {
    target.stages.write('fusedRest', [{ u32: rest }]);
    run('fusedRest');
  }
}

/**
 * Every position-dependent acceleration, in rule order by kind, into the cached-acceleration
 * scratch columns: pairwise gravity (all pairs or the tree; the first rule overwrites), then the generated all-pairs and
 * per-particle/grid/bond kernels (which add, or overwrite when nothing came before them).
 */
function forces(rec: Recorder): void {
  const { plan, count } = rec.target;
  if (plan.gridPairs) {
    buildGrid(rec);
    rec.custom('customGather', count, CUSTOM_WORKGROUP);
  }
  encodePairwiseGravity(rec, plan.pairwise, rec.target.buffers.tree, count, 'force');
  if (rec.has('customAllPairs')) rec.custom('customAllPairs', count, CUSTOM_WORKGROUP);
  if (rec.has('customForces')) rec.custom('customForces', count, CUSTOM_WORKGROUP);
}

function kick(rec: Recorder, stage: 'kickFull' | 'kickHalf'): void {
  if (rec.target.plan.contacts) softContacts(rec);
  if (rec.has('customKick')) rec.custom('customKick', rec.target.count, CUSTOM_WORKGROUP, stage);
  else rec.preset('kick', rec.target.count, KICK_WORKGROUP, stage);
}

/**
 * Soft-sphere contact accelerations of the current positions and velocities into the contact
 * scratch columns, which the kick adds: the records are gathered again every time (the velocities
 * changed), the grid only when the positions moved since it was built.
 */
function softContacts(rec: Recorder): void {
  const { count } = rec.target;
  buildGrid(rec);
  rec.preset('gatherContactRecords', count, CONTACTS_WORKGROUP);
  rec.preset('contactForces', count, CONTACTS_WORKGROUP);
}

/** Contact phase (collisions through the grid, then bounds), the drift (and periodic wrap), the clock. */
function contactsAndDrift(rec: Recorder): void {
  const { plan, count } = rec.target;
  if (plan.collisions !== null) {
    buildGrid(rec);
    rec.preset('gatherInCellOrder', count, COLLISIONS_WORKGROUP);
    rec.preset('firstPartners', count, COLLISIONS_WORKGROUP);
    rec.preset('resolveContacts', RESOLVE_WORKGROUP, RESOLVE_WORKGROUP); // one workgroup: the order is the physics
  }
  rec.preset('contactsAndDrift', count, DRIFT_WORKGROUP);
  rec.gridFresh = false;
  if (plan.usesTime) rec.custom('advanceClock', 1, 1, 'oneStep');
}

/** Builds the uniform grid from the current positions, unless it was built since the last drift. */
function buildGrid(rec: Recorder): void {
  if (rec.gridFresh) return;
  const { count } = rec.target;
  const grid = rec.target.buffers.grid;
  rec.preset('resetBounds', 1, 1);
  rec.preset('reduceBounds', count, GRID_BOUNDS_WORKGROUP);
  rec.preset('sizeGrid', 1, 1);
  rec.preset('clearCounts', grid.cellEntries, GRID_COUNT_WORKGROUP);
  rec.preset('countCells', count, GRID_COUNT_WORKGROUP);
  // One workgroup per block of SCAN_BLOCK elements.
  grid.levels.forEach((level, k) => rec.preset('scanBlocks', level.length, SCAN_BLOCK, `scan${k}`));
  for (let k = grid.levels.length - 2; k >= 0; k--) {
    rec.preset('addBlockOffsets', grid.levels[k].length, SCAN_ADD_WORKGROUP, `scan${k}`);
  }
  rec.preset('copyStartsToCursors', grid.cellEntries, SCAN_ADD_WORKGROUP);
  rec.preset('scatterParticles', count, GRID_SCATTER_WORKGROUP);
  rec.preset('sortCells', grid.cellCapacity, GRID_SCATTER_WORKGROUP);
  rec.gridFresh = true;
}
