import { usesGravityTree, type PairwiseGravityTerm } from '@brokenrecord/core';
import type { PhaseSync } from '../integrate.js';
import type { Workspace } from '../../workspace.js';
import { GravityTree } from './tree.js';
import { treeAccelerations, treePotential } from './walk.js';

export { GravityTree, LEAF_SIZE } from './tree.js';
export { treeAccelerations, treePotential } from './walk.js';

/**
 * This thread's tree. Every participant of a thread team builds its own copy from the shared
 * positions (the build is O(N), a small part of the walk's cost, and the copies are identical),
 * so no thread waits for another's build and nothing of the tree needs shared memory.
 */
const tree = new GravityTree();

/**
 * pairwiseGravity by the Barnes–Hut tree into fx/fy/fz (overwriting when `first`). Each
 * participant walks its share of the particles in Morton order (slots rank·n/parties ..), which
 * are not its index range: the barrier at the end completes every particle's forces before any
 * thread reads them for its own range. Every participant calls this for the same terms.
 */
export function treeGravity(ws: Workspace, term: PairwiseGravityTerm, first: boolean, sync: PhaseSync): void {
  const n = ws.count;
  tree.build(ws.px, ws.py, ws.pz, ws.mass, n);
  const lo = Math.floor((sync.rank * n) / sync.parties);
  const hi = Math.floor(((sync.rank + 1) * n) / sync.parties);
  treeAccelerations(tree, term.G, term.eps2, term.theta, first, lo, hi, ws.fx, ws.fy, ws.fz);
  sync.barrier();
}

/**
 * The tree's potential energy of each pairwiseGravity rule that runs on the tree for this state,
 * keyed by the rule's index in the system (what core's computeDiagnostics takes in place of its
 * all-pairs reference).
 */
export function treePotentials(
  terms: readonly PairwiseGravityTerm[],
  ruleIndices: readonly number[],
  px: Float32Array,
  py: Float32Array,
  pz: Float32Array,
  mass: Float32Array,
  n: number,
): Map<number, number> {
  const energies = new Map<number, number>();
  terms.forEach((term, k) => {
    if (!usesGravityTree(term, n)) return;
    if (energies.size === 0) tree.build(px, py, pz, mass, n);
    energies.set(ruleIndices[k], treePotential(tree, term.G, term.eps2, term.theta));
  });
  return energies;
}
