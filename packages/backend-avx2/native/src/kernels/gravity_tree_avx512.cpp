// pairwiseGravity by tree, AVX-512 path: groups of 16 particles walk the tree at once
// (brokenrecord/gravity_tree_walk.h). 1/sqrt is vrsqrt14ps (14 bits) with one Newton step.
#include <immintrin.h>
#include <brokenrecord/gravity_tree_walk.h>
#include "../simd/vec_avx512.h"
#include "kernel_table.h"

namespace brokenrecord {
namespace {

struct Avx512TreeLanes : Avx512Lanes {
  using M = Avx512Mask;
  static V inv_sqrt(V x) {
    const __m512 y = _mm512_rsqrt14_ps(x.v);
    const __m512 hx = _mm512_mul_ps(_mm512_set1_ps(0.5f), x.v);
    return {_mm512_mul_ps(y, _mm512_fnmadd_ps(_mm512_mul_ps(hx, y), y, _mm512_set1_ps(1.5f)))};
  }
  static unsigned mask_bits(M m) { return (unsigned)m.m; }
  static M bits_mask(unsigned bits) { return {(__mmask16)bits}; }
};

}  // namespace

void gravity_tree_avx512(const TreeWalkInput& in, uint32_t lo, uint32_t hi, float* ax, float* ay, float* az,
                         float* phi) {
  tree_walk_range<Avx512TreeLanes>(in, lo, hi, ax, ay, az, phi);
}

}  // namespace brokenrecord
