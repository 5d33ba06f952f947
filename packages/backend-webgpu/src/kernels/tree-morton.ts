import { PARAMS_WGSL } from './common.js';
import { GRID_SLOTS, GRID_WORDS } from './grid-common.js';
import { MORTON_BITS, TREE_NODE_VEC4, TREE_NODE_BUFFERS_WGSL, TREE_POSITION_WGSL, TREE_SORT_BUFFERS_WGSL } from './tree-common.js';

export const TREE_MORTON_WORKGROUP = 64;

/**
 * Tree build, step 2 (after the bounding box of grid-bounds.ts, reduced into the tree's header):
 * each particle's 30-bit Morton key over the bounding cube (origin = the box's min corner, side
 * L = its largest extent, 1 when the box is a point), coordinates quantised to
 * q = min(2¹⁰ − 1, floor((x − min) / L · 2¹⁰)) and interleaved x y z from the top bit down.
 * The sort's values start as the particle indices, so the stable radix sort leaves ties in index
 * order: the order is (key, index), the same on every run.
 *
 * `gatherBodies` (after the sort) copies each particle's position and mass into sorted order,
 * where the tree's leaves and the walk read them.
 */
export const TREE_MORTON_WGSL = /* wgsl */ `
${PARAMS_WGSL}
${TREE_POSITION_WGSL}
${TREE_SORT_BUFFERS_WGSL}
${TREE_NODE_BUFFERS_WGSL}
@group(0) @binding(7) var<storage, read_write> treeHeader: array<u32, ${GRID_WORDS}>;

// Inverse of grid-bounds.ts orderedKey.
fn unorderedFloat(k: u32) -> f32 {
  return bitcast<f32>(select(~k, k & 0x7fffffffu, (k & 0x80000000u) != 0u));
}

// The 10 low bits of v spread to every third bit.
fn spreadBits(v: u32) -> u32 {
  var x = v & 0x3ffu;
  x = (x | (x << 16u)) & 0x030000ffu;
  x = (x | (x << 8u)) & 0x0300f00fu;
  x = (x | (x << 4u)) & 0x030c30c3u;
  x = (x | (x << 2u)) & 0x09249249u;
  return x;
}

fn quantise(x: f32, lo: f32, side: f32) -> u32 {
  let top = f32(${(1 << MORTON_BITS) - 1});
  let q = floor((x - lo) / side * ${1 << MORTON_BITS}.0);
  // NaN (a diverging state, caught after the step) fails both comparisons and lands on 0.
  return u32(select(0.0, min(q, top), q >= 0.0));
}

@compute @workgroup_size(${TREE_MORTON_WORKGROUP})
fn mortonKeys(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = flatIndex(id, groups, ${TREE_MORTON_WORKGROUP}u);
  if (i >= params.count) {
    return;
  }
  var lo = vec3f(0.0);
  var hi = vec3f(0.0);
  for (var k = 0u; k < 3u; k++) {
    lo[k] = unorderedFloat(treeHeader[${GRID_SLOTS.MIN}u + k]);
    hi[k] = unorderedFloat(treeHeader[${GRID_SLOTS.MAX}u + k]);
  }
  let extent = hi - lo;
  var side = max(extent.x, max(extent.y, extent.z));
  if (!(side > 0.0)) {
    side = 1.0;
  }
  let x = loadPosition(i);
  let key = (spreadBits(quantise(x.x, lo.x, side)) << 2u) | (spreadBits(quantise(x.y, lo.y, side)) << 1u) |
    spreadBits(quantise(x.z, lo.z, side));
  storeSorted(0u, i, key, i);
}

@compute @workgroup_size(${TREE_MORTON_WORKGROUP})
fn gatherBodies(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let k = flatIndex(id, groups, ${TREE_MORTON_WORKGROUP}u);
  if (k >= params.count) {
    return;
  }
  let i = sortIndex(0u, k);
  treeNodes[${TREE_NODE_VEC4}u * params.capacity + k] = vec4f(loadPosition(i), massOf(i));
}
`;
