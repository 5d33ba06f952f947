// Eight float lanes in a 256-bit register (AVX2 + FMA). Only included by translation units
// compiled with -mavx2 -mfma; everything has internal linkage (see physics.h).
#ifndef BROKENRECORD_SIMD_VEC_AVX2_H
#define BROKENRECORD_SIMD_VEC_AVX2_H

#include <immintrin.h>
#include <brokenrecord/physics.h>

namespace brokenrecord {
namespace {

/** A lane mask: all bits set where true (the form compares and blendv use). */
struct Avx2Mask {
  __m256 m;
};
struct Avx2Vec {
  __m256 v;
};

inline Avx2Mask operator&(Avx2Mask a, Avx2Mask b) { return {_mm256_and_ps(a.m, b.m)}; }
inline Avx2Mask operator|(Avx2Mask a, Avx2Mask b) { return {_mm256_or_ps(a.m, b.m)}; }
inline Avx2Vec operator+(Avx2Vec a, Avx2Vec b) { return {_mm256_add_ps(a.v, b.v)}; }
inline Avx2Vec operator-(Avx2Vec a, Avx2Vec b) { return {_mm256_sub_ps(a.v, b.v)}; }
inline Avx2Vec operator*(Avx2Vec a, Avx2Vec b) { return {_mm256_mul_ps(a.v, b.v)}; }
inline Avx2Mask operator<(Avx2Vec a, Avx2Vec b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_LT_OQ)}; }
inline Avx2Mask operator>(Avx2Vec a, Avx2Vec b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_GT_OQ)}; }
inline Avx2Mask operator<=(Avx2Vec a, Avx2Vec b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_LE_OQ)}; }
inline Avx2Mask operator>=(Avx2Vec a, Avx2Vec b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_GE_OQ)}; }

inline Avx2Vec br_fma(Avx2Vec a, Avx2Vec b, Avx2Vec c) { return {_mm256_fmadd_ps(a.v, b.v, c.v)}; }
inline Avx2Vec br_fnma(Avx2Vec a, Avx2Vec b, Avx2Vec c) { return {_mm256_fnmadd_ps(a.v, b.v, c.v)}; }
// minps/maxps return the second operand on ties and NaN, like `a < b ? a : b` in physics.h.
inline Avx2Vec br_min(Avx2Vec a, Avx2Vec b) { return {_mm256_min_ps(a.v, b.v)}; }
inline Avx2Vec br_max(Avx2Vec a, Avx2Vec b) { return {_mm256_max_ps(a.v, b.v)}; }
inline Avx2Vec br_select(Avx2Mask m, Avx2Vec a, Avx2Vec b) { return {_mm256_blendv_ps(b.v, a.v, m.m)}; }

inline __m256d avx2_low_to_double(__m256 x) { return _mm256_cvtps_pd(_mm256_castps256_ps128(x)); }
inline __m256d avx2_high_to_double(__m256 x) { return _mm256_cvtps_pd(_mm256_extractf128_ps(x, 1)); }

/** Two 4-lane double masks (64-bit lanes) back to one 8-lane float mask (32-bit lanes). */
inline Avx2Vec avx2_join_floats(__m256d lo, __m256d hi) {
  return {_mm256_set_m128(_mm256_cvtpd_ps(hi), _mm256_cvtpd_ps(lo))};
}

inline Avx2Vec br_narrow_add(double c, Avx2Vec r) {
  __m256d C = _mm256_set1_pd(c);
  return avx2_join_floats(_mm256_add_pd(C, avx2_low_to_double(r.v)), _mm256_add_pd(C, avx2_high_to_double(r.v)));
}
inline Avx2Vec br_narrow_sub(double c, Avx2Vec r) {
  __m256d C = _mm256_set1_pd(c);
  return avx2_join_floats(_mm256_sub_pd(C, avx2_low_to_double(r.v)), _mm256_sub_pd(C, avx2_high_to_double(r.v)));
}
inline Avx2Vec br_scale_wide(Avx2Vec v, double c) {
  __m256d C = _mm256_set1_pd(c);
  return avx2_join_floats(_mm256_mul_pd(C, avx2_low_to_double(v.v)), _mm256_mul_pd(C, avx2_high_to_double(v.v)));
}

struct Avx2Lanes {
  using V = Avx2Vec;
  static constexpr int registers = 16;
  static constexpr int width = 8;
  static V load(const float* p) { return {_mm256_loadu_ps(p)}; }
  static void store(float* p, V v) { _mm256_storeu_ps(p, v.v); }
  static V broadcast(float x) { return {_mm256_set1_ps(x)}; }
  /** 1.0 that the compiler cannot see through (it would turn fma(a, 1, b) back into an add). */
  static V opaque_one() {
    __m256 one = _mm256_set1_ps(1.0f);
    __asm__("" : "+x"(one));
    return {one};
  }
};

}  // namespace
}  // namespace brokenrecord

#endif
