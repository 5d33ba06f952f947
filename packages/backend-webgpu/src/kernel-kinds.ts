import type { RuleKind } from '@brokenrecord/core';

/**
 * Where each rule kind runs on the GPU. The mapped type makes a kind core adds without an entry
 * here a compile error; `webgpuBackend.rules` is derived from this table, so this backend claims
 * exactly the kinds it has kernels for.
 */
export const KERNEL_OF_KIND: { readonly [K in RuleKind]: string } = {
  uniformGravity: 'kernels/uniform-gravity.ts (in the kick and fused kernels)',
  drag: 'kernels/drag.ts (in the kick and fused kernels)',
  pairwiseGravity: 'kernels/pairwise-gravity.ts (all pairs, workgroup tiles); kernels/tree-*.ts (Barnes–Hut tree, tree-encoder.ts)',
  collisions: 'kernels/collisions.ts (sequential impulses, levelled in one workgroup) over the grid of kernels/grid-*.ts',
  bounds: 'kernels/bounds.ts (in the drift and fused kernels)',
  pairForce: 'generated: codegen/custom-module.ts (grid pair loop with a cutoff, workgroup tiles without)',
  bondForce: 'generated: codegen/custom-module.ts (per-particle bond adjacency, custom-data.ts)',
  externalForce: 'generated: codegen/custom-module.ts (per particle)',
  field: 'generated: codegen/custom-module.ts (per particle; velocity-dependent ones at every kick)',
  contacts: 'kernels/contacts.ts over the grid of kernels/grid-*.ts (records of kernels/collisions.ts), added in kernels/kick.ts',
  periodic: 'kernels/common.ts wrapPeriodic/nearestImage (drift, fused, grid, collisions, generated kernels)',
};

export const WEBGPU_RULE_KINDS = Object.keys(KERNEL_OF_KIND) as RuleKind[];
