import { usesGravityTree } from '@brokenrecord/core';
import type { KernelName } from './pipelines.js';
import type { StageSlots } from './stages.js';
import { GRID_BOUNDS_WORKGROUP } from './kernels/grid-bounds.js';
import { PAIRWISE_TILE } from './kernels/pairwise-gravity.js';
import { SCAN_ADD_WORKGROUP, SCAN_BLOCK } from './kernels/scan.js';
import { TREE_BUILD_WORKGROUP, TREE_MAX_LEVEL, TREE_MIN_LEVEL } from './kernels/tree-build.js';
import { TREE_MORTON_WORKGROUP } from './kernels/tree-morton.js';
import { RADIX_BITS, RADIX_BLOCK, RADIX_PASSES } from './kernels/tree-sort.js';
import { TREE_WALK_ACCELERATION, TREE_WALK_POTENTIAL, TREE_WALK_WORKGROUP } from './kernels/tree-walk.js';
import type { PairwiseTerm, TreePlan } from './tree-plan.js';

/** What the tree needs of the step encoder's recorder: dispatches over the shared or the tree's group 0. */
export interface TreeRecorder {
  preset(kernel: KernelName, items: number, workgroupSize: number, stage?: string): void;
  over(group: GPUBindGroup, kernel: KernelName, items: number, workgroupSize: number, stage?: string): void;
}

/** The tree's buffers as the encoder sees them: its bind group and layout plan. */
export interface TreeTarget {
  bindGroup: GPUBindGroup;
  plan: TreePlan;
}

/** For each pairwise term: does it run on the tree at `count` particles (core resolves 'auto'). */
export function treeTerms(terms: readonly PairwiseTerm[], count: number): boolean[] {
  return terms.map((term) => usesGravityTree(term, count));
}

/** The stage slots of the tree (tree-plan.ts treeStageNames), written once per buffer layout. */
export function writeTreeStages(stages: StageSlots, plan: TreePlan, terms: readonly PairwiseTerm[]): void {
  plan.levels.forEach((level, k) =>
    stages.write(`treeScan${k}`, [{ u32: level.input }, { u32: level.output }, { u32: level.sums }, { u32: level.length }]),
  );
  for (let p = 0; p < RADIX_PASSES; p++) {
    stages.write(`treeRadix${p}`, [{ u32: p * RADIX_BITS }, { u32: p % 2 }, { u32: plan.blocks }, { u32: plan.scanned }]);
  }
  for (let level = TREE_MIN_LEVEL; level <= TREE_MAX_LEVEL; level++) stages.write(`treeLevel${level}`, [{ u32: level }]);
  terms.forEach((term, k) => {
    const fields = (mode: number) => [{ f32: term.G }, { f32: term.eps2 }, { u32: k === 0 ? 1 : 0 }, { f32: term.theta }, { u32: mode }];
    stages.write(`treeForce${k}`, fields(TREE_WALK_ACCELERATION));
    stages.write(`treePotential${k}`, fields(TREE_WALK_POTENTIAL));
  });
}

/**
 * Builds the tree of the current positions (docs/physics.md, "Barnes–Hut tree"): bounding box,
 * Morton keys, the radix sort, bodies in sorted order, the hierarchy, then the moments: small
 * nodes directly, the others level by level from the deepest.
 */
export function encodeTreeBuild(rec: TreeRecorder, tree: TreeTarget, count: number): void {
  const group = tree.bindGroup;
  const { plan } = tree;
  rec.over(group, 'resetBounds', 1, 1);
  rec.over(group, 'reduceBounds', count, GRID_BOUNDS_WORKGROUP);
  rec.over(group, 'mortonKeys', count, TREE_MORTON_WORKGROUP);
  for (let p = 0; p < RADIX_PASSES; p++) {
    const radix = `treeRadix${p}`;
    rec.over(group, 'radixHistogram', plan.blocks * RADIX_BLOCK, RADIX_BLOCK, radix);
    plan.levels.forEach((level, k) => rec.over(group, 'scanBlocks', level.length, SCAN_BLOCK, `treeScan${k}`));
    for (let k = plan.levels.length - 2; k >= 0; k--) {
      rec.over(group, 'addBlockOffsets', plan.levels[k].length, SCAN_ADD_WORKGROUP, `treeScan${k}`);
    }
    rec.over(group, 'radixScatter', plan.blocks * RADIX_BLOCK, RADIX_BLOCK, radix);
  }
  rec.over(group, 'gatherBodies', count, TREE_MORTON_WORKGROUP);
  const internal = Math.max(0, count - 1);
  rec.over(group, 'buildTree', internal, TREE_BUILD_WORKGROUP);
  rec.over(group, 'smallMoments', internal, TREE_BUILD_WORKGROUP);
  for (let level = TREE_MAX_LEVEL; level >= TREE_MIN_LEVEL; level--) {
    rec.over(group, 'treeMoments', internal, TREE_BUILD_WORKGROUP, `treeLevel${level}`);
  }
}

/**
 * Every pairwise gravity term of the plan into the scratch: accelerations (`mode` 'force', the
 * cached-force columns) or potential shares ('potential'), each term on the tree or all pairs as
 * core's plan resolves it for `count`. The tree is built once for all tree terms.
 */
export function encodePairwiseGravity(
  rec: TreeRecorder,
  terms: readonly PairwiseTerm[],
  tree: TreeTarget | null,
  count: number,
  mode: 'force' | 'potential',
): void {
  const onTree = treeTerms(terms, count);
  if (tree && onTree.some(Boolean)) encodeTreeBuild(rec, tree, count);
  terms.forEach((_, k) => {
    if (onTree[k]) {
      if (!tree) throw new Error('webgpu: a pairwise gravity term runs on the tree but no tree buffers were allocated');
      rec.over(tree.bindGroup, 'treeWalk', count, TREE_WALK_WORKGROUP, mode === 'force' ? `treeForce${k}` : `treePotential${k}`);
    } else {
      rec.preset(mode === 'force' ? 'pairwiseAcceleration' : 'pairwisePotential', count, PAIRWISE_TILE, `pairwise${k}`);
    }
  });
}
