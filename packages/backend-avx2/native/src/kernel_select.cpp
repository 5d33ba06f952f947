#include "kernel_select.h"

#include "cpu/cpu_features.h"

namespace brokenrecord {

static const CpuFeatures& features() {
  static const CpuFeatures f = detect_cpu_features();
  return f;
}

const KernelTable& best_kernels() {
#ifdef BROKENRECORD_HAVE_X86_KERNELS
  if (features().can_avx512()) return kAvx512Kernels;
  if (features().can_avx2()) return kAvx2Kernels;
#endif
  return kScalarKernels;
}

const KernelTable* kernels_named(const std::string& isa, std::string& why) {
  if (isa.empty()) return &best_kernels();
  if (isa == "scalar") return &kScalarKernels;
#ifdef BROKENRECORD_HAVE_X86_KERNELS
  if (isa == "avx2") {
    if (features().can_avx2()) return &kAvx2Kernels;
    why = "avx2 was requested but this CPU/OS lacks AVX2+FMA (or OS-enabled YMM state)";
    return nullptr;
  }
  if (isa == "avx512") {
    if (features().can_avx512()) return &kAvx512Kernels;
    why = "avx512 was requested but this CPU/OS lacks AVX-512 F/DQ/BW/VL (or OS-enabled ZMM state)";
    return nullptr;
  }
#else
  if (isa == "avx2" || isa == "avx512") {
    why = isa + " was requested but this build has no x86 SIMD kernels";
    return nullptr;
  }
#endif
  why = "unknown instruction set '" + isa + "' (expected scalar, avx2 or avx512)";
  return nullptr;
}

std::string usable_isas() {
  std::string s = "scalar";
#ifdef BROKENRECORD_HAVE_X86_KERNELS
  if (features().can_avx2()) s += ",avx2";
  if (features().can_avx512()) s += ",avx512";
#endif
  return s;
}

}  // namespace brokenrecord
