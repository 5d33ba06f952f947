// The Barnes-Hut walk (docs/physics.md, "Gravity by tree"), written once over a lane type L so the
// same code runs one particle per call (L = TreeScalarLanes: the scalar CPU path, the CUDA host
// executor and the CUDA device kernel, one thread per particle) and a group of W particles at once
// (L = an AVX2 or AVX-512 lane type: the group walks the tree together, each lane keeping its own
// decisions in a bit mask).
//
// For particle i and node N, with s = the longest edge of N's particle bounding box and
// r = x_i - c (c: N's centre of mass), N is ACCEPTED when s^2 < theta^2 |r|^2 (in float; that is
// s < theta |r|) and x_i lies strictly outside N's bounding box; then it contributes its softened
// monopole and quadrupole (rho^2 = |r|^2 + eps^2, P = N's second moment):
//   a   += -M r / rho^3 + 3 P r / rho^5 - (15/2)(r.P r) r / rho^7 + (3/2)(tr P) r / rho^5
//   phi += -M / rho - (3/2)(r.P r) / rho^5 + (1/2)(tr P) / rho^3
// (multiplied by G by the caller; evaluated in the regrouped form below, with the node's traceless
// Q = 3P - (tr P) I). Otherwise N is opened: a leaf gives the softened direct sum over
// its particles, skipping i itself by index; an internal node pushes its children.
//
// A lane only ever adds its own accepted nodes and leaf particles, in depth-first order with the
// children in octant order, whatever the other lanes of its group do: each particle's sum is the
// same sequence of operations however particles are grouped (so across thread counts), and the
// scalar path does the same sequence too (it differs from a SIMD one only where the lane type's
// 1/sqrt does).
//
// L provides: V (float lanes), M (a mask), width, broadcast(float), inv_sqrt(V) (1/sqrt, refined
// where it is an estimate), mask_bits(M) -> unsigned (bit l = lane l), bits_mask(unsigned) -> M, and
// V supports + - *, < > returning M; M supports & |; br_fma and br_select as in physics.h.
#ifndef BROKENRECORD_GRAVITY_TREE_WALK_H
#define BROKENRECORD_GRAVITY_TREE_WALK_H

#include <stdint.h>
#include "gravity_tree.h"
#include "physics.h"

namespace brokenrecord {

/** One particle per walk: float lanes of width 1, a mask is a bool. */
struct TreeScalarLanes {
  using V = float;
  using M = bool;
  static constexpr int width = 1;
  BR_HOST_DEVICE static V broadcast(float x) { return x; }
  BR_HOST_DEVICE static V load(const float* p) { return *p; }
  BR_HOST_DEVICE static void store(float* p, V v) { *p = v; }
  BR_HOST_DEVICE static V inv_sqrt(V x) { return 1.0f / sqrtf(x); }
  BR_HOST_DEVICE static unsigned mask_bits(M m) { return m ? 1u : 0u; }
  BR_HOST_DEVICE static M bits_mask(unsigned bits) { return (bits & 1u) != 0; }
};

/** The tree and one walk's parameters, as plain pointers (sorted columns: the build's order). */
struct TreeWalkInput {
  const TreeNode* nodes;  // nodes[0] is the root
  const float *xs, *ys, *zs, *ms;
  float eps2;    // softening squared
  float theta2;  // float(theta^2)
};

/** Accelerations (without G) and, when `Potential`, potentials (without G) of one group of lanes. */
template <class L>
struct TreeSums {
  typename L::V ax, ay, az, phi;
};

/** Above this theta^2 the walk tests that a target lies outside a node's box (see tree_walk). */
constexpr float kTreeInsideImpliedTheta2 = 0.33f;

/**
 * Walks the tree for the targets at (xi, yi, zi), the particles at sorted positions
 * first .. first + width - 1 (lane l = position first + l); only the lanes in `lanes` take part.
 *
 * `TestOutside = false` leaves out the bounding-box test when theta^2 < kTreeInsideImpliedTheta2
 * without changing any decision: c lies in the box, so a target inside it has |r|^2 <= 3 s^2, and
 * s^2 < theta^2 |r|^2 then fails for theta^2 <= 1/3 (0.33 keeps a margin far above the float
 * rounding of both sides).
 */
template <class L, bool Potential, bool TestOutside>
BR_INLINE TreeSums<L> tree_walk(const TreeWalkInput& in, uint32_t first, unsigned lanes, typename L::V xi,
                                typename L::V yi, typename L::V zi) {
  using V = typename L::V;
  const V eps2 = L::broadcast(in.eps2), theta2 = L::broadcast(in.theta2);
  const V zero = L::broadcast(0.0f), half = L::broadcast(0.5f), five_halves = L::broadcast(2.5f);
  TreeSums<L> s{zero, zero, zero, zero};
  uint32_t stack_node[kTreeStackDepth];
  unsigned stack_lanes[kTreeStackDepth];
  int top = 1;
  stack_node[0] = 0;
  stack_lanes[0] = lanes;
  while (top > 0) {
    top--;
    const TreeNode& n = in.nodes[stack_node[top]];
    const unsigned active = stack_lanes[top];
    const V rx = xi - L::broadcast(n.cx), ry = yi - L::broadcast(n.cy), rz = zi - L::broadcast(n.cz);
    const V d2 = br_fma(rz, rz, br_fma(ry, ry, rx * rx));
    unsigned accept;
    if (TestOutside) {
      const auto outside = (xi < L::broadcast(n.lo[0])) | (xi > L::broadcast(n.hi[0])) | (yi < L::broadcast(n.lo[1])) |
                           (yi > L::broadcast(n.hi[1])) | (zi < L::broadcast(n.lo[2])) | (zi > L::broadcast(n.hi[2]));
      accept = active & L::mask_bits((L::broadcast(n.s2) < theta2 * d2) & outside);
    } else {
      accept = active & L::mask_bits(L::broadcast(n.s2) < theta2 * d2);
    }
    const unsigned open = active & ~accept;
    if (accept) {
      // With Q = 3P - (tr P) I and w = r.Q r - eps^2 tr P (the expansion above, regrouped):
      //   a += Q r / rho^5 - (M / rho^3 + (5/2) w / rho^7) r,   phi += -(M / rho + w / (2 rho^5)).
      const V inv = L::inv_sqrt(d2 + eps2);
      const V inv2 = inv * inv;
      const V inv3 = inv * inv2;
      const V inv5 = inv3 * inv2;
      const V qxx = L::broadcast(n.qxx), qyy = L::broadcast(n.qyy), qzz = L::broadcast(n.qzz);
      const V qxy = L::broadcast(n.qxy), qxz = L::broadcast(n.qxz), qyz = L::broadcast(n.qyz);
      const V qrx = br_fma(qxz, rz, br_fma(qxy, ry, qxx * rx));
      const V qry = br_fma(qyz, rz, br_fma(qyy, ry, qxy * rx));
      const V qrz = br_fma(qzz, rz, br_fma(qyz, ry, qxz * rx));
      const V w = br_fnma(eps2, L::broadcast(n.trace), br_fma(rz, qrz, br_fma(ry, qry, rx * qrx)));
      const V m = L::broadcast(n.m);
      const V radial = br_fma(five_halves * (inv5 * inv2), w, m * inv3);  // subtracted
      const V ax = br_fma(inv5, qrx, br_fnma(radial, rx, s.ax));
      const V ay = br_fma(inv5, qry, br_fnma(radial, ry, s.ay));
      const V az = br_fma(inv5, qrz, br_fnma(radial, rz, s.az));
      const V phi = Potential ? s.phi - br_fma(half * inv5, w, m * inv) : s.phi;
      if (accept == lanes) {
        s.ax = ax;
        s.ay = ay;
        s.az = az;
        s.phi = phi;
      } else {
        const auto take = L::bits_mask(accept);
        s.ax = br_select(take, ax, s.ax);
        s.ay = br_select(take, ay, s.ay);
        s.az = br_select(take, az, s.az);
        if (Potential) s.phi = br_select(take, phi, s.phi);
      }
    }
    if (!open) continue;
    if (!n.leaf) {
      // Reverse order on the stack: popped (walked) in octant order.
      for (uint32_t k = n.count; k-- > 0;) {
        stack_node[top] = n.first + k;
        stack_lanes[top] = open;
        top++;
      }
      continue;
    }
    for (uint32_t q = n.first; q < n.first + n.count; q++) {
      // The target itself is skipped by index: its own lane leaves this source out.
      const unsigned self = q - first < (uint32_t)L::width ? 1u << (q - first) : 0u;
      const unsigned use = open & ~self;
      if (!use) continue;
      const auto take = L::bits_mask(use);
      const V dx = L::broadcast(in.xs[q]) - xi, dy = L::broadcast(in.ys[q]) - yi, dz = L::broadcast(in.zs[q]) - zi;
      const V r2 = br_fma(dz, dz, br_fma(dy, dy, br_fma(dx, dx, eps2)));
      const V inv = L::inv_sqrt(r2);
      const V minv = L::broadcast(in.ms[q]) * inv;
      // m_j d / (|d|^2 + eps^2)^{3/2}; with eps = 0 another particle at distance 0 gives 0 * inf =
      // NaN, as the direct sum does (docs/physics.md, "Divergence").
      const V f = minv * (inv * inv);
      s.ax = br_select(take, br_fma(f, dx, s.ax), s.ax);
      s.ay = br_select(take, br_fma(f, dy, s.ay), s.ay);
      s.az = br_select(take, br_fma(f, dz, s.az), s.az);
      if (Potential) s.phi = br_select(take, s.phi - minv, s.phi);
    }
  }
  return s;
}

/** tree_walk with the box test where theta needs it. */
template <class L, bool Potential>
BR_INLINE TreeSums<L> tree_walk(const TreeWalkInput& in, uint32_t first, unsigned lanes, typename L::V xi,
                                typename L::V yi, typename L::V zi) {
  return in.theta2 < kTreeInsideImpliedTheta2 ? tree_walk<L, Potential, false>(in, first, lanes, xi, yi, zi)
                                              : tree_walk<L, Potential, true>(in, first, lanes, xi, yi, zi);
}

/**
 * The walks of the sorted positions [lo, hi), L::width at a time: accelerations (without G) into
 * ax, ay, az and, when `phi` is not null, potentials (without G) into phi, all by sorted position.
 * A last, partial group repeats its first particle in the unused lanes, which take no part.
 */
template <class L>
inline void tree_walk_range(const TreeWalkInput& in, uint32_t lo, uint32_t hi, float* ax, float* ay, float* az,
                            float* phi) {
  constexpr int W = L::width;
  for (uint32_t p0 = lo; p0 < hi; p0 += W) {
    const uint32_t count = hi - p0 < (uint32_t)W ? hi - p0 : (uint32_t)W;
    alignas(64) float x[W], y[W], z[W], out[4][W];
    for (int l = 0; l < W; l++) {
      const uint32_t p = p0 + ((uint32_t)l < count ? (uint32_t)l : 0u);
      x[l] = in.xs[p];
      y[l] = in.ys[p];
      z[l] = in.zs[p];
    }
    const unsigned lanes = count == 32 ? 0xffffffffu : (1u << count) - 1u;
    const TreeSums<L> s = phi ? tree_walk<L, true>(in, p0, lanes, L::load(x), L::load(y), L::load(z))
                              : tree_walk<L, false>(in, p0, lanes, L::load(x), L::load(y), L::load(z));
    L::store(out[0], s.ax);
    L::store(out[1], s.ay);
    L::store(out[2], s.az);
    L::store(out[3], s.phi);
    for (uint32_t l = 0; l < count; l++) {
      ax[p0 + l] = out[0][l];
      ay[p0 + l] = out[1][l];
      az[p0 + l] = out[2][l];
      if (phi) phi[p0 + l] = out[3][l];
    }
  }
}

}  // namespace brokenrecord

#endif  // BROKENRECORD_GRAVITY_TREE_WALK_H
