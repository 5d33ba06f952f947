// Sixteen float lanes in a 512-bit register (AVX-512 F + DQ, with FMA). Only included by
// translation units compiled with the AVX-512 flags; everything has internal linkage (see physics.h).
#ifndef BROKENRECORD_SIMD_VEC_AVX512_H
#define BROKENRECORD_SIMD_VEC_AVX512_H

#include <immintrin.h>
#include <brokenrecord/physics.h>

namespace brokenrecord {
namespace {

struct Avx512Mask {
  __mmask16 m;
};
struct Avx512Vec {
  __m512 v;
};

inline Avx512Mask operator&(Avx512Mask a, Avx512Mask b) { return {(__mmask16)(a.m & b.m)}; }
inline Avx512Mask operator|(Avx512Mask a, Avx512Mask b) { return {(__mmask16)(a.m | b.m)}; }
inline Avx512Vec operator+(Avx512Vec a, Avx512Vec b) { return {_mm512_add_ps(a.v, b.v)}; }
inline Avx512Vec operator-(Avx512Vec a, Avx512Vec b) { return {_mm512_sub_ps(a.v, b.v)}; }
inline Avx512Vec operator*(Avx512Vec a, Avx512Vec b) { return {_mm512_mul_ps(a.v, b.v)}; }
inline Avx512Mask operator<(Avx512Vec a, Avx512Vec b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_LT_OQ)}; }
inline Avx512Mask operator>(Avx512Vec a, Avx512Vec b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_GT_OQ)}; }
inline Avx512Mask operator<=(Avx512Vec a, Avx512Vec b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_LE_OQ)}; }
inline Avx512Mask operator>=(Avx512Vec a, Avx512Vec b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_GE_OQ)}; }

inline Avx512Vec br_fma(Avx512Vec a, Avx512Vec b, Avx512Vec c) { return {_mm512_fmadd_ps(a.v, b.v, c.v)}; }
inline Avx512Vec br_fnma(Avx512Vec a, Avx512Vec b, Avx512Vec c) { return {_mm512_fnmadd_ps(a.v, b.v, c.v)}; }
// vminps/vmaxps return the second operand on ties and NaN, like `a < b ? a : b` in physics.h.
inline Avx512Vec br_min(Avx512Vec a, Avx512Vec b) { return {_mm512_min_ps(a.v, b.v)}; }
inline Avx512Vec br_max(Avx512Vec a, Avx512Vec b) { return {_mm512_max_ps(a.v, b.v)}; }
inline Avx512Vec br_select(Avx512Mask m, Avx512Vec a, Avx512Vec b) { return {_mm512_mask_blend_ps(m.m, b.v, a.v)}; }

inline __m512d avx512_low_to_double(__m512 x) { return _mm512_cvtps_pd(_mm512_castps512_ps256(x)); }
inline __m512d avx512_high_to_double(__m512 x) { return _mm512_cvtps_pd(_mm512_extractf32x8_ps(x, 1)); }
inline Avx512Vec avx512_join_floats(__m512d lo, __m512d hi) {
  return {_mm512_insertf32x8(_mm512_castps256_ps512(_mm512_cvtpd_ps(lo)), _mm512_cvtpd_ps(hi), 1)};
}

inline Avx512Vec br_narrow_add(double c, Avx512Vec r) {
  __m512d C = _mm512_set1_pd(c);
  return avx512_join_floats(_mm512_add_pd(C, avx512_low_to_double(r.v)), _mm512_add_pd(C, avx512_high_to_double(r.v)));
}
inline Avx512Vec br_narrow_sub(double c, Avx512Vec r) {
  __m512d C = _mm512_set1_pd(c);
  return avx512_join_floats(_mm512_sub_pd(C, avx512_low_to_double(r.v)), _mm512_sub_pd(C, avx512_high_to_double(r.v)));
}
inline Avx512Vec br_scale_wide(Avx512Vec v, double c) {
  __m512d C = _mm512_set1_pd(c);
  return avx512_join_floats(_mm512_mul_pd(C, avx512_low_to_double(v.v)), _mm512_mul_pd(C, avx512_high_to_double(v.v)));
}

struct Avx512Lanes {
  using V = Avx512Vec;
  static constexpr int registers = 32;
  static constexpr int width = 16;
  static V load(const float* p) { return {_mm512_loadu_ps(p)}; }
  static void store(float* p, V v) { _mm512_storeu_ps(p, v.v); }
  static V broadcast(float x) { return {_mm512_set1_ps(x)}; }
  /** 1.0 that the compiler cannot see through (it would turn fma(a, 1, b) back into an add). */
  static V opaque_one() {
    __m512 one = _mm512_set1_ps(1.0f);
    __asm__("" : "+v"(one));
    return {one};
  }
};

}  // namespace
}  // namespace brokenrecord

#endif
