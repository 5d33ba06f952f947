// Per-particle integrator kernels for the scalar path (compiled with baseline x86-64 (or any CPU)).
#include "../simd/vec_scalar.h"

namespace brokenrecord {
namespace {
using Lanes = ScalarLanes;
}
}  // namespace brokenrecord

#include "integrate_kernels.inl"

BR_EXPORT_INTEGRATE_KERNELS(scalar)
