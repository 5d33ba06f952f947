// pairwiseGravity, AVX2 + FMA path (8 lanes; rsqrtps has 12 correct bits before the Newton step).
#include <immintrin.h>

#define VF __m256
#define VW 8
#define VLOAD _mm256_load_ps
#define VSTORE _mm256_store_ps
#define VSET1 _mm256_set1_ps
#define VSUB _mm256_sub_ps
#define VMUL _mm256_mul_ps
#define VFMA _mm256_fmadd_ps
#define VFNMA _mm256_fnmadd_ps
#define VZERO _mm256_setzero_ps()
#define VRSQRT _mm256_rsqrt_ps
#define VCOUNT_ZEROS(acc, r2) \
  _mm256_add_ps(acc, _mm256_and_ps(_mm256_cmp_ps(r2, _mm256_setzero_ps(), _CMP_EQ_OQ), _mm256_set1_ps(1.0f)))
#define VRSQRT_POSITIVE(r2) _mm256_and_ps(_mm256_rsqrt_ps(r2), _mm256_cmp_ps(r2, _mm256_setzero_ps(), _CMP_GT_OQ))

#include "pairwise_gravity_simd.inl"

BR_EXPORT_PAIRWISE_GRAVITY(avx2)
