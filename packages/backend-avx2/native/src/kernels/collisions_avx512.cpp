// collisions narrow phase, AVX-512 path: eight candidates per contact test.
#include <immintrin.h>

namespace {
inline __m512d avx512_load_first(const double* p, int count) {
  return _mm512_maskz_loadu_pd((__mmask8)((1u << count) - 1u), p);
}
inline unsigned avx512_touch_bits(__m512d d2, __m512d rs2, int count) {
  const __mmask8 live = (__mmask8)((1u << count) - 1u);
  return _mm512_mask_cmp_pd_mask(_mm512_mask_cmp_pd_mask(live, d2, rs2, _CMP_LT_OQ), d2, _mm512_setzero_pd(),
                                 _CMP_GT_OQ);
}
}  // namespace

#define DV __m512d
#define DW 8
#define DSET1 _mm512_set1_pd
#define DSUB _mm512_sub_pd
#define DMUL _mm512_mul_pd
#define DADD _mm512_add_pd
#define DLOAD_FIRST avx512_load_first
#define DTOUCH_BITS avx512_touch_bits

#include "collisions_simd.inl"

BR_EXPORT_FIND_CONTACTS(avx512)
