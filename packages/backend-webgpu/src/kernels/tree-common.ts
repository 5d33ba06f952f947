/**
 * WGSL shared by the Barnes–Hut tree kernels (tree-*.ts). They run over their own group 0
 * (../tree-buffers.ts): the same layout as every other kernel, with the bindings the tree never
 * reads (velocity, the grid's cells, particleCells and grid words, the diagnostics partials)
 * pointing at the tree's buffers instead. Position (1), properties (3) and scratch (4) are the
 * simulation's own.
 *
 * Buffers (C = params.capacity, n = params.count, internal nodes 0 … n−2, leaves = sorted
 * particles 0 … n−1):
 * - `treeSort` (binding 2, u32): Morton keys A [0, C), particle indices A [C, 2C), keys B [2C, 3C),
 *   indices B [3C, 4C). The radix sort ping-pongs between A and B and ends in A.
 * - `treeScan` (binding 5, u32): the radix histogram (digit-major), its exclusive prefix sum, then
 *   the scan's block sums level after level (../tree-plan.ts lays it out).
 * - `treeLinks` (binding 6, u32): left child [0, C), right child [C, 2C), the node's level (the
 *   length of the key prefix its particles share) [2C, 3C), the first sorted particle of its range
 *   [3C, 4C), the last one [4C, 5C) with TREE_SUBCELL set when the node is not a whole octree
 *   cell. A child with TREE_LEAF set is the sorted particle (leaf) of that index, else an
 *   internal node.
 * - `treeHeader` (binding 7, u32): the bounding-box atomics of grid-bounds.ts (GRID_SLOTS).
 * - `treeNodes` (binding 8, vec4f): four per internal node, then one per sorted particle:
 *   node i: [4i] = (centre of mass, M), [4i+1] = (box min, Pxy), [4i+2] = (box max, Pxz),
 *   [4i+3] = (Pxx, Pyy, Pzz, Pyz), P = Σ m y yᵀ with y = x − c; particle k: [4C + k] = (x, m).
 */

/** Set on a child reference that names a leaf (a sorted particle) rather than an internal node. */
export const TREE_LEAF = 0x80000000;
/**
 * Set on the last-particle word of an internal node that is not a whole octree cell (it shares
 * its parent's cell): the walk opens it without testing it, so the nodes it accepts as multipoles
 * are the octree's cells (tree-build.ts).
 */
export const TREE_SUBCELL = 0x40000000;
/** The index in a child reference or last-particle word. */
export const TREE_INDEX_MASK = 0x3fffffff;
/** The walk's "no next node". */
export const TREE_END = 0xffffffff;
/** u32 words of `treeLinks` per particle. */
export const TREE_LINK_WORDS = 5;
/** vec4f per internal node in `treeNodes`. */
export const TREE_NODE_VEC4 = 4;
/** Bits per axis of the Morton keys (30-bit keys). */
export const MORTON_BITS = 10;

export const TREE_POSITION_WGSL = /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> position: array<f32>;
@group(0) @binding(3) var<storage, read_write> properties: array<f32>;

fn loadPosition(i: u32) -> vec3f {
  let c = params.capacity;
  return vec3f(position[i], position[i + c], position[i + 2u * c]);
}
fn massOf(i: u32) -> f32 {
  return properties[i];
}
`;

export const TREE_SORT_BUFFERS_WGSL = /* wgsl */ `
@group(0) @binding(2) var<storage, read_write> treeSort: array<u32>;

// Buffer b (0: A, 1: B) of the ping-pong pair.
fn sortKey(b: u32, k: u32) -> u32 {
  return treeSort[2u * b * params.capacity + k];
}
fn sortIndex(b: u32, k: u32) -> u32 {
  return treeSort[(2u * b + 1u) * params.capacity + k];
}
fn storeSorted(b: u32, k: u32, key: u32, index: u32) {
  treeSort[2u * b * params.capacity + k] = key;
  treeSort[(2u * b + 1u) * params.capacity + k] = index;
}
`;

export const TREE_NODE_BUFFERS_WGSL = /* wgsl */ `
@group(0) @binding(6) var<storage, read_write> treeLinks: array<u32>;
@group(0) @binding(8) var<storage, read_write> treeNodes: array<vec4f>;

const TREE_LEAF = ${TREE_LEAF}u;
const TREE_SUBCELL = ${TREE_SUBCELL}u;
const TREE_INDEX_MASK = ${TREE_INDEX_MASK}u;
const TREE_END = ${TREE_END}u;

fn leftChild(i: u32) -> u32 {
  return treeLinks[i];
}
fn rightChild(i: u32) -> u32 {
  return treeLinks[params.capacity + i];
}
fn nodeLevel(i: u32) -> u32 {
  return treeLinks[2u * params.capacity + i];
}
fn rangeFirst(i: u32) -> u32 {
  return treeLinks[3u * params.capacity + i];
}
// The last sorted particle of internal node i's range, with TREE_SUBCELL.
fn rangeLastAndMark(i: u32) -> u32 {
  return treeLinks[4u * params.capacity + i];
}
// The node that follows, in depth-first order (left before right), the subtree whose range ends
// at sorted particle \`last\`: the right sibling of its lowest ancestor that is a left child. That
// sibling's range starts at last + 1, and it is the internal node last + 1 if that node's range
// starts there (internal node i's range has i at one end; it starts at i exactly when the node
// is a right child), else the leaf last + 1. Past the last particle: TREE_END.
fn nextAfter(last: u32) -> u32 {
  let k = last + 1u;
  if (k >= params.count) {
    return TREE_END;
  }
  if (k + 1u < params.count && rangeFirst(k) == k) {
    return k;
  }
  return k | TREE_LEAF;
}
fn nodeVec(i: u32, r: u32) -> vec4f {
  return treeNodes[${TREE_NODE_VEC4}u * i + r];
}
// Position and mass of the particle at sorted position k.
fn sortedBody(k: u32) -> vec4f {
  return treeNodes[${TREE_NODE_VEC4}u * params.capacity + k];
}
`;
