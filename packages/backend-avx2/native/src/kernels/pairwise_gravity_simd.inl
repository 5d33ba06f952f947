// pairwiseGravity for the SIMD paths, written once over the ISA's intrinsics (the including file
// defines the macros below). Targets i sit in registers, NT vectors of them at a time, and every
// source j is broadcast to all lanes: the inner loop is loads-free apart from four broadcasts
// shared by the NT target vectors.
//
// 1/r^3 comes from the hardware reciprocal square root y ~ r2^-1/2 (relative error e, 2^-14 with
// AVX-512, 1.5 * 2^-12 with AVX2), refined in the cube directly: with z = r2 y^2 = 1 + 2e + ...,
// y^3 (2.5 - 1.5 z) = r2^-3/2 (1 + O(e^2)). That is one Newton step applied to y^3 to first order;
// folding the source mass into the two constants (m 2.5, m 1.5, per source) makes it 5 operations
// where Newton on y then cubing takes 6, and its measured worst error is ~6e-7 on both ISAs (the
// backends agree to 1e-5). The multiply-add units bound this loop, so every operation counts.
// Source sums run in float within tiles of TILE sources and in double across tiles.
//
// Required macros: VF (vector type), VW (lanes), VLOAD, VSTORE, VSET1, VADD, VSUB, VMUL, VFMA(a,b,c)
// = a*b+c, VFNMA(a,b,c) = c-a*b, VRSQRT_POSITIVE(r2) (rsqrt where r2 > 0, else 0), VZERO,
// VCOUNT_ZEROS(acc, r2) (acc + 1 in the lanes where r2 == 0).
//
// Without softening the target itself (d = 0) is masked out by VRSQRT_POSITIVE, so the kernel
// counts the sources at distance 0 per target: more than one means another particle coincides with
// it, whose pull is undefined; that target's force is NaN, as in the reference (the run diverges
// there on every backend, docs/physics.md).

#include <math.h>
#include <stddef.h>
#include <string.h>
#include "kernel_table.h"

namespace brokenrecord {
namespace {

// Target vectors per pass. The loop is bound by the multiply-add units (12 of its 15 operations
// per pair vector run there), not by the broadcasts per source, so 2 is as good as 3 or 4.
constexpr int NT = 2;
constexpr size_t TILE = 256;  // sources summed in float before going to double

template <bool Softened>
void pairwise_gravity_simd(const GravityArgs& g) {
  const VF EPS2 = VSET1(g.eps2);
  for (size_t i0 = g.lo; i0 < g.hi; i0 += NT * VW) {
    const size_t count = g.hi - i0 < (size_t)NT * VW ? g.hi - i0 : (size_t)NT * VW;
    // Padding lanes repeat the first target: computed, then dropped.
    alignas(64) float xs[NT * VW], ys[NT * VW], zs[NT * VW];
    for (size_t l = 0; l < (size_t)NT * VW; l++) {
      const size_t i = i0 + (l < count ? l : 0);
      xs[l] = g.px[i];
      ys[l] = g.py[i];
      zs[l] = g.pz[i];
    }
    VF xi[NT], yi[NT], zi[NT];
    for (int t = 0; t < NT; t++) {
      xi[t] = VLOAD(xs + t * VW);
      yi[t] = VLOAD(ys + t * VW);
      zi[t] = VLOAD(zs + t * VW);
    }
    double sx[NT * VW] = {}, sy[NT * VW] = {}, sz[NT * VW] = {};
    VF zeros[NT];
    for (int t = 0; t < NT; t++) zeros[t] = VZERO;
    for (size_t j0 = 0; j0 < g.n; j0 += TILE) {
      const size_t j1 = g.n - j0 < TILE ? g.n : j0 + TILE;
      VF ax[NT], ay[NT], az[NT];
      for (int t = 0; t < NT; t++) ax[t] = ay[t] = az[t] = VZERO;
      for (size_t j = j0; j < j1; j++) {
        const VF xj = VSET1(g.px[j]), yj = VSET1(g.py[j]), zj = VSET1(g.pz[j]);
        const VF m25 = VSET1(g.m[j] * 2.5f), m15 = VSET1(g.m[j] * 1.5f);
        for (int t = 0; t < NT; t++) {
          const VF dx = VSUB(xj, xi[t]), dy = VSUB(yj, yi[t]), dz = VSUB(zj, zi[t]);
          const VF r2 = VFMA(dz, dz, VFMA(dy, dy, VFMA(dx, dx, EPS2)));
          // With softening r2 >= eps^2 > 0, and the target itself has d = 0: it adds exactly 0.
          const VF y = Softened ? VRSQRT(r2) : VRSQRT_POSITIVE(r2);
          if (!Softened) zeros[t] = VCOUNT_ZEROS(zeros[t], r2);
          const VF y2 = VMUL(y, y);
          const VF c = VFNMA(m15, VMUL(r2, y2), m25);  // m_j (2.5 - 1.5 r2 y^2)
          const VF s = VMUL(y2, VMUL(y, c));           // m_j y^3 (2.5 - 1.5 r2 y^2)
          ax[t] = VFMA(s, dx, ax[t]);
          ay[t] = VFMA(s, dy, ay[t]);
          az[t] = VFMA(s, dz, az[t]);
        }
      }
      alignas(64) float tx[VW], ty[VW], tz[VW];
      for (int t = 0; t < NT; t++) {
        VSTORE(tx, ax[t]);
        VSTORE(ty, ay[t]);
        VSTORE(tz, az[t]);
        for (int l = 0; l < VW; l++) {
          sx[t * VW + l] += tx[l];
          sy[t * VW + l] += ty[l];
          sz[t * VW + l] += tz[l];
        }
      }
    }
    if (!Softened) {
      alignas(64) float counted[NT * VW];
      for (int t = 0; t < NT; t++) VSTORE(counted + t * VW, zeros[t]);
      for (size_t l = 0; l < count; l++) {
        if (counted[l] > 1.5f) sx[l] = sy[l] = sz[l] = NAN;
      }
    }
    for (size_t l = 0; l < count; l++) {
      const size_t i = i0 + l;
      g.fx[i] = (float)(g.first ? g.G * sx[l] : (double)g.fx[i] + g.G * sx[l]);
      g.fy[i] = (float)(g.first ? g.G * sy[l] : (double)g.fy[i] + g.G * sy[l]);
      g.fz[i] = (float)(g.first ? g.G * sz[l] : (double)g.fz[i] + g.G * sz[l]);
    }
  }
}

}  // namespace
}  // namespace brokenrecord

#define BR_EXPORT_PAIRWISE_GRAVITY(suffix)               \
  namespace brokenrecord {                               \
  void pairwise_gravity_##suffix(const GravityArgs& g) { \
    if (g.eps2 > 0.0f)                                   \
      pairwise_gravity_simd<true>(g);                    \
    else                                                 \
      pairwise_gravity_simd<false>(g);                   \
  }                                                      \
  }
