import type { KernelPlan } from '@brokenrecord/core';
import type { ScanLevel } from './grid-plan.js';
import { SCAN_BLOCK } from './kernels/scan.js';
import { TREE_LINK_WORDS, TREE_NODE_VEC4 } from './kernels/tree-common.js';
import { TREE_MAX_LEVEL, TREE_MIN_LEVEL } from './kernels/tree-build.js';
import { RADIX_BLOCK, RADIX_DIGITS, RADIX_PASSES } from './kernels/tree-sort.js';

/** One pairwise gravity term as the kernel plan gives it. */
export type PairwiseTerm = KernelPlan['pairwise'][number];

/**
 * How the tree's buffers are laid out for `capacity` particles (kernels/tree-common.ts): the
 * radix blocks, the histogram and the levels of its prefix sum (kernels/scan.ts, the same
 * multi-level scheme as the grid's), and the buffer sizes.
 */
export interface TreePlan {
  capacity: number;
  /** Radix blocks over the capacity (blocks past the count histogram to zero). */
  blocks: number;
  /** Entries of the digit-major histogram: RADIX_DIGITS · blocks. */
  histogram: number;
  /** Where its exclusive prefix sum starts in the scan buffer. */
  scanned: number;
  levels: ScanLevel[];
  /** u32 words of each buffer. */
  scanWords: number;
  sortWords: number;
  linkWords: number;
  /** vec4f of the node buffer: four per internal node, one per sorted particle. */
  nodeVec4s: number;
}

export function planTree(capacity: number): TreePlan {
  const blocks = Math.max(1, Math.ceil(capacity / RADIX_BLOCK));
  const histogram = RADIX_DIGITS * blocks;
  const levels: ScanLevel[] = [];
  let input = 0;
  let output = histogram;
  let length = histogram;
  let free = 2 * histogram;
  for (;;) {
    const sumBlocks = Math.ceil(length / SCAN_BLOCK);
    const sums = free;
    free += sumBlocks;
    levels.push({ input, output, sums, length });
    if (sumBlocks === 1) break;
    input = sums;
    output = sums;
    length = sumBlocks;
  }
  return {
    capacity,
    blocks,
    histogram,
    scanned: histogram,
    levels,
    scanWords: free,
    sortWords: 4 * capacity,
    linkWords: TREE_LINK_WORDS * capacity,
    nodeVec4s: (TREE_NODE_VEC4 + 1) * capacity,
  };
}

/** Bytes per particle of the tree's largest buffer (the nodes), for the binding-size limit. */
export const TREE_BYTES_PER_PARTICLE = (TREE_NODE_VEC4 + 1) * 16;

/** The stage slots the tree's dispatches use (stages.ts), for the plan's pairwise terms. */
export function treeStageNames(plan: TreePlan, terms: number): string[] {
  return [
    ...plan.levels.map((_, k) => `treeScan${k}`),
    ...Array.from({ length: RADIX_PASSES }, (_, p) => `treeRadix${p}`),
    ...Array.from({ length: TREE_MAX_LEVEL - TREE_MIN_LEVEL + 1 }, (_, k) => `treeLevel${TREE_MIN_LEVEL + k}`),
    ...Array.from({ length: terms }, (_, k) => [`treeForce${k}`, `treePotential${k}`]).flat(),
  ];
}

/** Dispatches of one tree build (bounds, keys, the sort, gather, hierarchy, moments). */
export function treeBuildDispatches(plan: TreePlan): number {
  const scan = 2 * plan.levels.length - 1;
  return 3 + RADIX_PASSES * (2 + scan) + 3 + (TREE_MAX_LEVEL - TREE_MIN_LEVEL + 1);
}
