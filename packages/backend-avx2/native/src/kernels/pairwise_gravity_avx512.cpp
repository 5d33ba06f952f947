// pairwiseGravity, AVX-512 path (16 lanes; vrsqrt14ps has 14 correct bits before the Newton step).
#include <immintrin.h>

#define VF __m512
#define VW 16
#define VLOAD _mm512_load_ps
#define VSTORE _mm512_store_ps
#define VSET1 _mm512_set1_ps
#define VSUB _mm512_sub_ps
#define VMUL _mm512_mul_ps
#define VFMA _mm512_fmadd_ps
#define VFNMA _mm512_fnmadd_ps
#define VZERO _mm512_setzero_ps()
#define VRSQRT _mm512_rsqrt14_ps
#define VCOUNT_ZEROS(acc, r2) \
  _mm512_mask_add_ps(acc, _mm512_cmp_ps_mask(r2, _mm512_setzero_ps(), _CMP_EQ_OQ), acc, _mm512_set1_ps(1.0f))
#define VRSQRT_POSITIVE(r2) _mm512_maskz_rsqrt14_ps(_mm512_cmp_ps_mask(r2, _mm512_setzero_ps(), _CMP_GT_OQ), r2)

#include "pairwise_gravity_simd.inl"

BR_EXPORT_PAIRWISE_GRAVITY(avx512)
