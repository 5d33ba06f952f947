// Per-particle integrator kernels for the avx512 path (compiled with -mavx512f -mavx512dq -mavx512vl -mavx512bw -mfma).
#include "../simd/vec_avx512.h"

namespace brokenrecord {
namespace {
using Lanes = Avx512Lanes;
}
}  // namespace brokenrecord

#include "integrate_kernels.inl"

BR_EXPORT_INTEGRATE_KERNELS(avx512)
