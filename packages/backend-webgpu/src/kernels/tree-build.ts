import { PARAMS_WGSL, stageUniform } from './common.js';
import { TREE_NODE_BUFFERS_WGSL, TREE_SORT_BUFFERS_WGSL } from './tree-common.js';

export const TREE_BUILD_WORKGROUP = 64;
/**
 * Levels `treeMoments` runs, one dispatch each (deepest first): the prefix lengths distinct
 * 30-bit keys can share in a 32-bit word, 2 … 31. Nodes past them (tied keys) are small ones.
 */
export const TREE_MIN_LEVEL = 2;
export const TREE_MAX_LEVEL = 31;
/** Nodes of at most this many particles (and nodes of tied keys) sum their moments over their particles directly. */
export const TREE_DIRECT_RANGE = 32;

/**
 * Tree build, step 4: Karras's binary radix tree over the sorted keys ("Maximizing parallelism in
 * the construction of BVHs, octrees, and k-d trees", 2012), one invocation per internal node, no
 * synchronisation. Keys that tie are told apart by their sorted position (δ = 32 + the common
 * prefix of the positions), so every key sequence gives a proper binary tree. Leaves are single
 * particles. Each node also records its level: the length of the prefix its particles share,
 * which is larger for a child than for its parent. A binary node is an octree cell, or part of one
 * split along one or two axes; the parts are marked (TREE_SUBCELL) so that the walk accepts only
 * whole octree cells, as the CPU octree does: accepting a half or quarter cell, as elongated as
 * the cell but holding less mass about a centre nearer its edge, gave a larger force error at
 * the same θ (median 1.3e-3 against 1.1e-3 at θ = 0.5, 2,000 Plummer bodies).
 *
 * Moments (mass, centre of mass, second moment P about the centre, the bounding box of the
 * node's particles), with no atomics and in a fixed order: first `smallMoments`, in one dispatch,
 * for every node of at most TREE_DIRECT_RANGE particles and every node of tied keys, summed over
 * its particles in sorted order; then `treeMoments` once per remaining level, deepest first: each
 * node of that level combines its two children (left, then right), whose levels are larger and
 * so were done before (P = P_a + m_a y_a y_aᵀ + P_b + m_b y_b y_bᵀ with y = child centre − c, the
 * parallel-axis theorem). A dispatch per level for every node would be 62 dispatches, most of the
 * build's on drivers where a dispatch costs more than the work in it (software GPUs).
 */
export const TREE_BUILD_WGSL = /* wgsl */ `
${PARAMS_WGSL}
${TREE_SORT_BUFFERS_WGSL}
${TREE_NODE_BUFFERS_WGSL}
${stageUniform('LevelStage', '  level: u32,')}

// Length of the common prefix of sorted elements i and j (−1 when j is outside the array).
fn delta(i: i32, j: i32) -> i32 {
  if (j < 0 || j >= i32(params.count)) {
    return -1;
  }
  let a = sortKey(0u, u32(i));
  let b = sortKey(0u, u32(j));
  if (a == b) {
    return 32 + i32(countLeadingZeros(u32(i) ^ u32(j)));
  }
  return i32(countLeadingZeros(a ^ b));
}

// Depth of the smallest octree cell that holds a node whose particles share \`level\` key bits:
// cells of depth t share 2 + 3t bits (keys are 30 bits in a 32-bit word). Past the key (ties,
// told apart by position) every level counts as a cell of its own, so tied particles still form
// nodes the walk can accept.
fn octreeDepth(level: i32) -> i32 {
  if (level >= 32) {
    return level - 22;
  }
  return (level - 2) / 3;
}

@compute @workgroup_size(${TREE_BUILD_WORKGROUP})
fn buildTree(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let node = flatIndex(id, groups, ${TREE_BUILD_WORKGROUP}u);
  if (node + 1u >= params.count) {
    return;
  }
  let i = i32(node);
  // Direction of the range: towards the neighbour sharing the longer prefix.
  let d = select(-1, 1, delta(i, i + 1) > delta(i, i - 1));
  let deltaMin = delta(i, i - d);
  var lengthMax = 2;
  while (delta(i, i + lengthMax * d) > deltaMin) {
    lengthMax = lengthMax * 2;
  }
  var l = 0;
  for (var t = lengthMax / 2; t >= 1; t = t / 2) {
    if (delta(i, i + (l + t) * d) > deltaMin) {
      l = l + t;
    }
  }
  let j = i + l * d;
  let deltaNode = delta(i, j);
  // The split: the last position sharing more than deltaNode bits with i.
  var s = 0;
  var divisor = 2;
  loop {
    let t = (l + divisor - 1) / divisor;
    if (delta(i, i + (s + t) * d) > deltaNode) {
      s = s + t;
    }
    if (t <= 1) {
      break;
    }
    divisor = divisor * 2;
  }
  let gamma = i + s * d + min(d, 0);
  let first = min(i, j);
  let last = max(i, j);
  let left = select(u32(gamma), u32(gamma) | TREE_LEAF, first == gamma);
  let right = select(u32(gamma + 1), u32(gamma + 1) | TREE_LEAF, last == gamma + 1);
  // The parent splits this range off at whichever end shares more bits with its neighbour, so
  // that neighbour's δ is the parent's level (−1 for the root: no parent).
  let parentLevel = max(delta(first, first - 1), delta(last, last + 1));
  let mark = select(0u, TREE_SUBCELL, octreeDepth(deltaNode) == octreeDepth(parentLevel));
  let c = params.capacity;
  treeLinks[node] = left;
  treeLinks[c + node] = right;
  treeLinks[2u * c + node] = u32(deltaNode);
  treeLinks[3u * c + node] = u32(first);
  treeLinks[4u * c + node] = u32(last) | mark;
}

struct Moments {
  mass: f32,
  centre: vec3f,
  lo: vec3f,
  hi: vec3f,
  // Pxx, Pyy, Pzz and Pxy, Pxz, Pyz.
  diagonal: vec3f,
  offDiagonal: vec3f,
}

fn momentsOf(child: u32) -> Moments {
  let index = child & TREE_INDEX_MASK;
  if ((child & TREE_LEAF) != 0u) {
    let body = sortedBody(index);
    return Moments(body.w, body.xyz, body.xyz, body.xyz, vec3f(0.0), vec3f(0.0));
  }
  let a = nodeVec(index, 0u);
  let b = nodeVec(index, 1u);
  let e = nodeVec(index, 2u);
  let p = nodeVec(index, 3u);
  return Moments(a.w, a.xyz, b.xyz, e.xyz, p.xyz, vec3f(b.w, e.w, p.w));
}

fn storeMoments(node: u32, m: Moments) {
  let base = 4u * node;
  treeNodes[base] = vec4f(m.centre, m.mass);
  treeNodes[base + 1u] = vec4f(m.lo, m.offDiagonal.x);
  treeNodes[base + 2u] = vec4f(m.hi, m.offDiagonal.y);
  treeNodes[base + 3u] = vec4f(m.diagonal, m.offDiagonal.z);
}

// Summed over the particles directly (smallMoments), or combined from the children (treeMoments).
fn isSmall(node: u32) -> bool {
  let last = rangeLastAndMark(node) & TREE_INDEX_MASK;
  return last - rangeFirst(node) < ${TREE_DIRECT_RANGE}u || nodeLevel(node) > ${TREE_MAX_LEVEL}u;
}

@compute @workgroup_size(${TREE_BUILD_WORKGROUP})
fn smallMoments(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let node = flatIndex(id, groups, ${TREE_BUILD_WORKGROUP}u);
  if (node + 1u >= params.count || !isSmall(node)) {
    return;
  }
  let first = rangeFirst(node);
  let last = rangeLastAndMark(node) & TREE_INDEX_MASK;
  var mass = 0.0;
  var weighted = vec3f(0.0);
  var lo = sortedBody(first).xyz;
  var hi = lo;
  for (var k = first; k <= last; k++) {
    let body = sortedBody(k);
    mass = mass + body.w;
    weighted = weighted + body.w * body.xyz;
    lo = min(lo, body.xyz);
    hi = max(hi, body.xyz);
  }
  let centre = weighted / mass;
  var diagonal = vec3f(0.0);
  var offDiagonal = vec3f(0.0);
  for (var k = first; k <= last; k++) {
    let body = sortedBody(k);
    let y = body.xyz - centre;
    diagonal = diagonal + body.w * y * y;
    offDiagonal = offDiagonal + body.w * vec3f(y.x * y.y, y.x * y.z, y.y * y.z);
  }
  storeMoments(node, Moments(mass, centre, lo, hi, diagonal, offDiagonal));
}

@compute @workgroup_size(${TREE_BUILD_WORKGROUP})
fn treeMoments(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let node = flatIndex(id, groups, ${TREE_BUILD_WORKGROUP}u);
  if (node + 1u >= params.count || nodeLevel(node) != stage.level || isSmall(node)) {
    return;
  }
  let a = momentsOf(leftChild(node));
  let b = momentsOf(rightChild(node));
  let mass = a.mass + b.mass;
  let centre = (a.mass * a.centre + b.mass * b.centre) / mass;
  let ya = a.centre - centre;
  let yb = b.centre - centre;
  let diagonal = a.diagonal + b.diagonal + a.mass * ya * ya + b.mass * yb * yb;
  let offDiagonal = a.offDiagonal + b.offDiagonal + a.mass * vec3f(ya.x * ya.y, ya.x * ya.z, ya.y * ya.z) +
    b.mass * vec3f(yb.x * yb.y, yb.x * yb.z, yb.y * yb.z);
  storeMoments(node, Moments(mass, centre, min(a.lo, b.lo), max(a.hi, b.hi), diagonal, offDiagonal));
}
`;
