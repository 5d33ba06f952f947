// pairwiseGravity by tree, AVX2 + FMA path: groups of 8 consecutive particles (in key order, so
// close together) walk the tree at once, each lane with its own accept / open decisions
// (brokenrecord/gravity_tree_walk.h). 1/sqrt is rsqrtps (12 bits) with one Newton step.
#include <immintrin.h>
#include <brokenrecord/gravity_tree_walk.h>
#include "../simd/vec_avx2.h"
#include "kernel_table.h"

namespace brokenrecord {
namespace {

struct Avx2TreeLanes : Avx2Lanes {
  using M = Avx2Mask;
  static V inv_sqrt(V x) {
    const __m256 y = _mm256_rsqrt_ps(x.v);
    const __m256 hx = _mm256_mul_ps(_mm256_set1_ps(0.5f), x.v);
    // y (1.5 - x y^2 / 2): with x = 0 (coincident particles, no softening) inf * NaN = NaN, as
    // the direct sum gives.
    return {_mm256_mul_ps(y, _mm256_fnmadd_ps(_mm256_mul_ps(hx, y), y, _mm256_set1_ps(1.5f)))};
  }
  static unsigned mask_bits(M m) { return (unsigned)_mm256_movemask_ps(m.m); }
  static M bits_mask(unsigned bits) {
    const __m256i lane = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
    const __m256i set = _mm256_and_si256(_mm256_set1_epi32((int)bits), lane);
    return {_mm256_castsi256_ps(_mm256_cmpeq_epi32(set, lane))};
  }
};

}  // namespace

void gravity_tree_avx2(const TreeWalkInput& in, uint32_t lo, uint32_t hi, float* ax, float* ay, float* az, float* phi) {
  tree_walk_range<Avx2TreeLanes>(in, lo, hi, ax, ay, az, phi);
}

}  // namespace brokenrecord
