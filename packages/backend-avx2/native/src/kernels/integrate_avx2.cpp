// Per-particle integrator kernels for the avx2 path (compiled with -mavx2 -mfma).
#include "../simd/vec_avx2.h"

namespace brokenrecord {
namespace {
using Lanes = Avx2Lanes;
}
}  // namespace brokenrecord

#include "integrate_kernels.inl"

BR_EXPORT_INTEGRATE_KERNELS(avx2)
