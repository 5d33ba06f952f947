// pairwiseGravity by Barnes-Hut tree (docs/physics.md, "Gravity by tree"): the per-element steps
// of the build, written once for every native path. The CPU builder (gravity_tree_build.h) runs
// them in loops (OpenMP where the including library has it), the CUDA kernels one element per
// thread; the walk that reads the result is gravity_tree_walk.h.
//
// The tree, on the CPU and on the device alike:
//   1. cube: per-axis min and max of the positions (float values), side L = the largest extent
//      (1 when every particle sits at one point), origin = the minimum;
//   2. keys: q = min(2^21 - 1, floor((x - min) / L * 2^21)) per axis (in double), bits
//      interleaved x, y, z from the top into a 63-bit Morton key; particles stably sorted by key
//      (so by (key, index));
//   3. octree cells from key prefixes, level by level: a cell of depth l holds the particles whose
//      keys share their top 3l bits; it is a leaf when it holds at most kTreeLeafSize particles or
//      l = 21 (then every key in it is equal), otherwise its children are its non-empty octants in
//      octant order (digit = the 3 key bits below the prefix), stored contiguously;
//   4. moments bottom-up in double: mass M, centre of mass c, second moment P = sum m y y^T
//      (y = x - c; a parent's from its children by the parallel-axis theorem), and the particles'
//      axis-aligned bounding box (float, exact);
//   5. the float node the walk reads (TreeNode).
// Every step is a function of the sorted input alone, so the tree, and each particle's walk, does
// not depend on how many threads (or which GPU blocks) built it.
#ifndef BROKENRECORD_GRAVITY_TREE_H
#define BROKENRECORD_GRAVITY_TREE_H

#include <stdint.h>
#include "physics.h"

namespace brokenrecord {

/** Bits per axis of a Morton key (3 x 21 = 63 bits). */
constexpr int kTreeKeyBits = 21;
/** A cell with more particles than this is split (unless its keys are all equal). */
constexpr int kTreeLeafSize = 8;
/** Depth of the walk's stack: at most 7 pending siblings per level of 21, plus the 8 just pushed. */
constexpr int kTreeStackDepth = 7 * kTreeKeyBits + 8 + 1;

/** The cube the keys quantise: origin and side, in double. */
struct TreeCube {
  double min[3];
  double side;
};

/** The cube of a bounding box (lo, hi per axis): side = the largest extent, 1 when it is 0. */
BR_INLINE TreeCube tree_cube(const double (&lo)[3], const double (&hi)[3]) {
  TreeCube c;
  double side = 0;
  for (int k = 0; k < 3; k++) {
    c.min[k] = lo[k];
    const double extent = hi[k] - lo[k];
    side = extent > side ? extent : side;
  }
  // A NaN extent (a diverged state) also takes 1, so the keys below stay defined; the forces of
  // such a state are NaN anyway and the step reports the divergence.
  c.side = side > 0 ? side : 1.0;
  return c;
}

/** q = min(2^21 - 1, floor((x - min) / L * 2^21)); 0 below the cube and for NaN. */
BR_INLINE uint32_t tree_quantise(double x, double min, double side) {
  const double t = (x - min) / side * (double)(1u << kTreeKeyBits);
  const double top = (double)((1u << kTreeKeyBits) - 1);
  return t > 0.0 ? (t < top ? (uint32_t)t : (uint32_t)top) : 0u;
}

/** The 21 low bits of v spread to every third bit (bit k to bit 3k). */
BR_INLINE uint64_t tree_spread_bits(uint32_t v) {
  uint64_t x = v & 0x1fffffu;
  x = (x | x << 32) & 0x1f00000000ffffull;
  x = (x | x << 16) & 0x1f0000ff0000ffull;
  x = (x | x << 8) & 0x100f00f00f00f00full;
  x = (x | x << 4) & 0x10c30c30c30c30c3ull;
  x = (x | x << 2) & 0x1249249249249249ull;
  return x;
}

/** The Morton key of a position: x's bit above y's above z's at every level. */
BR_INLINE uint64_t tree_key(float x, float y, float z, const TreeCube& c) {
  return tree_spread_bits(tree_quantise(x, c.min[0], c.side)) << 2 |
         tree_spread_bits(tree_quantise(y, c.min[1], c.side)) << 1 |
         tree_spread_bits(tree_quantise(z, c.min[2], c.side));
}

/** Shift of the octant digit that splits a cell of depth `depth` (0 = the root). */
BR_INLINE int tree_digit_shift(int depth) { return 3 * (kTreeKeyBits - 1 - depth); }

/** Whether a cell of `count` particles at `depth` has children. */
BR_INLINE bool tree_splits(uint32_t count, int depth) {
  return count > (uint32_t)kTreeLeafSize && depth < kTreeKeyBits;
}

/**
 * The octants of the cell [begin, end) of depth `depth` in the sorted keys: bounds[d] .. bounds[d + 1]
 * (9 values) is octant d (digits do not decrease inside a cell: its keys share the prefix above). Returns the
 * number of non-empty octants.
 */
BR_INLINE int tree_octants(const uint64_t* keys, uint32_t begin, uint32_t end, int depth, uint32_t* bounds) {
  const int shift = tree_digit_shift(depth);
  bounds[0] = begin;
  int count = 0;
  for (uint32_t d = 0; d < 8; d++) {
    // First position whose digit exceeds d, searched in what is left of the cell.
    uint32_t lo = bounds[d], hi = end;
    while (lo < hi) {
      const uint32_t mid = lo + (hi - lo) / 2;
      if (((keys[mid] >> shift) & 7u) <= d)
        lo = mid + 1;
      else
        hi = mid;
    }
    bounds[d + 1] = lo;
    count += lo > bounds[d] ? 1 : 0;
  }
  return count;
}

/**
 * The split of the cell [begin, end) whose search starts at key level `depth`: skips levels where
 * its particles share one octant (a cell with a single non-empty octant is no node of its own),
 * then returns the number of children (0: a leaf), with `depth` = the level it splits at and
 * bounds[0..8] its octants there.
 */
BR_INLINE uint32_t tree_split_cell(const uint64_t* keys, uint32_t begin, uint32_t end, int& depth, uint32_t* bounds) {
  for (; tree_splits(end - begin, depth); depth++) {
    const int children = tree_octants(keys, begin, end, depth, bounds);
    if (children > 1) return (uint32_t)children;
  }
  return 0;
}

/** Writes the non-empty octants of a split cell as its children (first, first + 1, ...), one level deeper. */
BR_INLINE void tree_write_children(const uint32_t* bounds, uint32_t first, int depth, uint32_t* begin, uint32_t* end,
                                   uint8_t* child_depth) {
  uint32_t child = first;
  for (int d = 0; d < 8; d++) {
    if (bounds[d + 1] == bounds[d]) continue;
    begin[child] = bounds[d];
    end[child] = bounds[d + 1];
    child_depth[child] = (uint8_t)(depth + 1);
    child++;
  }
}

/** Moments of one cell in double (the build's working form; the walk reads TreeNode). */
struct TreeMoments {
  double m;
  double c[3];
  double p[6];  // xx, yy, zz, xy, xz, yz of sum m y y^T about c
  float lo[3], hi[3];
};

/** Moments of a leaf from its particles [begin, end) of the sorted columns. */
BR_INLINE TreeMoments tree_leaf_moments(const float* xs, const float* ys, const float* zs, const float* ms,
                                        uint32_t begin, uint32_t end) {
  TreeMoments t;
  double m = 0, sx = 0, sy = 0, sz = 0;
  t.lo[0] = t.hi[0] = xs[begin];
  t.lo[1] = t.hi[1] = ys[begin];
  t.lo[2] = t.hi[2] = zs[begin];
  for (uint32_t q = begin; q < end; q++) {
    const double mq = ms[q];
    m += mq;
    sx += mq * xs[q];
    sy += mq * ys[q];
    sz += mq * zs[q];
    t.lo[0] = br_min(xs[q], t.lo[0]);
    t.lo[1] = br_min(ys[q], t.lo[1]);
    t.lo[2] = br_min(zs[q], t.lo[2]);
    t.hi[0] = br_max(xs[q], t.hi[0]);
    t.hi[1] = br_max(ys[q], t.hi[1]);
    t.hi[2] = br_max(zs[q], t.hi[2]);
  }
  t.m = m;
  t.c[0] = sx / m;
  t.c[1] = sy / m;
  t.c[2] = sz / m;
  for (double& p : t.p) p = 0;
  for (uint32_t q = begin; q < end; q++) {
    const double mq = ms[q];
    const double y0 = xs[q] - t.c[0], y1 = ys[q] - t.c[1], y2 = zs[q] - t.c[2];
    t.p[0] += mq * y0 * y0;
    t.p[1] += mq * y1 * y1;
    t.p[2] += mq * y2 * y2;
    t.p[3] += mq * y0 * y1;
    t.p[4] += mq * y0 * y2;
    t.p[5] += mq * y1 * y2;
  }
  return t;
}

/** Moments of an internal cell from its children [first, first + count) (parallel-axis theorem). */
BR_INLINE TreeMoments tree_parent_moments(const TreeMoments* children, uint32_t count) {
  TreeMoments t = children[0];
  double m = 0, sx = 0, sy = 0, sz = 0;
  for (uint32_t k = 0; k < count; k++) {
    const TreeMoments& c = children[k];
    m += c.m;
    sx += c.m * c.c[0];
    sy += c.m * c.c[1];
    sz += c.m * c.c[2];
    for (int a = 0; a < 3; a++) {
      t.lo[a] = br_min(c.lo[a], t.lo[a]);
      t.hi[a] = br_max(c.hi[a], t.hi[a]);
    }
  }
  t.m = m;
  t.c[0] = sx / m;
  t.c[1] = sy / m;
  t.c[2] = sz / m;
  for (double& p : t.p) p = 0;
  for (uint32_t k = 0; k < count; k++) {
    const TreeMoments& c = children[k];
    const double d0 = c.c[0] - t.c[0], d1 = c.c[1] - t.c[1], d2 = c.c[2] - t.c[2];
    t.p[0] += c.p[0] + c.m * d0 * d0;
    t.p[1] += c.p[1] + c.m * d1 * d1;
    t.p[2] += c.p[2] + c.m * d2 * d2;
    t.p[3] += c.p[3] + c.m * d0 * d1;
    t.p[4] += c.p[4] + c.m * d0 * d2;
    t.p[5] += c.p[5] + c.m * d1 * d2;
  }
  return t;
}

/**
 * What the walk reads of a cell, in float (80 bytes): centre of mass, mass, second moment and its
 * trace, the particles' bounding box, s^2 (s = its longest edge), and either its children (nodes
 * [first, first + count)) or, for a leaf, its particles (sorted positions [first, first + count)).
 */
struct TreeNode {
  float cx, cy, cz, m;
  float qxx, qyy, qzz, qxy, qxz, qyz, trace;  // Q = 3P - (tr P) I, and tr P
  float lo[3], hi[3];
  float s2;
  uint32_t first, count, leaf;
};

/** The float node of a cell's moments. */
BR_INLINE TreeNode tree_node(const TreeMoments& t, uint32_t first, uint32_t count, bool leaf) {
  TreeNode n;
  n.cx = (float)t.c[0];
  n.cy = (float)t.c[1];
  n.cz = (float)t.c[2];
  n.m = (float)t.m;
  const double trace = t.p[0] + t.p[1] + t.p[2];
  n.qxx = (float)(3 * t.p[0] - trace);
  n.qyy = (float)(3 * t.p[1] - trace);
  n.qzz = (float)(3 * t.p[2] - trace);
  n.qxy = (float)(3 * t.p[3]);
  n.qxz = (float)(3 * t.p[4]);
  n.qyz = (float)(3 * t.p[5]);
  n.trace = (float)trace;
  float s = 0;
  for (int k = 0; k < 3; k++) {
    n.lo[k] = t.lo[k];
    n.hi[k] = t.hi[k];
    const float edge = t.hi[k] - t.lo[k];
    s = edge > s ? edge : s;
  }
  n.s2 = s * s;
  n.first = first;
  n.count = count;
  n.leaf = leaf ? 1u : 0u;
  return n;
}

/**
 * Moments and walk node of cell k (its children, if any, done): a leaf from its particles
 * [begin, end) of the sorted columns, an internal cell from its children [first, first + count).
 */
BR_INLINE void tree_cell_moments(uint32_t k, const uint32_t* begin, const uint32_t* end, const uint32_t* first,
                                 const uint32_t* child_count, const float* xs, const float* ys, const float* zs,
                                 const float* ms, TreeMoments* moments, TreeNode* nodes) {
  if (child_count[k] == 0) {
    moments[k] = tree_leaf_moments(xs, ys, zs, ms, begin[k], end[k]);
    nodes[k] = tree_node(moments[k], begin[k], end[k] - begin[k], true);
  } else {
    moments[k] = tree_parent_moments(moments + first[k], child_count[k]);
    nodes[k] = tree_node(moments[k], first[k], child_count[k], false);
  }
}

}  // namespace brokenrecord

#endif  // BROKENRECORD_GRAVITY_TREE_H
