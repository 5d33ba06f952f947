// collisions narrow phase, AVX2 path: four candidates per contact test.
#include <immintrin.h>

namespace {
inline __m256d avx2_load_first(const double* p, int count) {
  const __m256i lanes = _mm256_setr_epi64x(0, 1, 2, 3);
  return _mm256_maskload_pd(p, _mm256_cmpgt_epi64(_mm256_set1_epi64x(count), lanes));
}
inline unsigned avx2_touch_bits(__m256d d2, __m256d rs2, int count) {
  const __m256d hit =
      _mm256_and_pd(_mm256_cmp_pd(d2, rs2, _CMP_LT_OQ), _mm256_cmp_pd(d2, _mm256_setzero_pd(), _CMP_GT_OQ));
  return (unsigned)_mm256_movemask_pd(hit) & ((1u << count) - 1u);
}
}  // namespace

#define DV __m256d
#define DW 4
#define DSET1 _mm256_set1_pd
#define DSUB _mm256_sub_pd
#define DMUL _mm256_mul_pd
#define DADD _mm256_add_pd
#define DLOAD_FIRST avx2_load_first
#define DTOUCH_BITS avx2_touch_bits

#include "collisions_simd.inl"

BR_EXPORT_FIND_CONTACTS(avx2)
