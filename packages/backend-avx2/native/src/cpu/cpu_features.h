// What the CPU and the operating system allow: CPUID says which instructions exist, XGETBV says
// whether the OS saves the wider registers on a context switch. An instruction set is usable only
// when both agree (a CPU with AVX-512 under an OS that does not enable ZMM state would fault).
#ifndef BROKENRECORD_CPU_FEATURES_H
#define BROKENRECORD_CPU_FEATURES_H

namespace brokenrecord {

struct CpuFeatures {
  bool x86 = false;
  bool osxsave = false;
  bool os_ymm = false;  // XCR0 bits 1-2: SSE and AVX state
  bool os_zmm = false;  // XCR0 bits 5-7: opmask and ZMM state
  bool avx = false, avx2 = false, fma = false;
  bool avx512f = false, avx512dq = false, avx512bw = false, avx512vl = false;
  /** AVX2 and FMA present and enabled by the OS. */
  bool can_avx2() const { return os_ymm && avx && avx2 && fma; }
  /** AVX-512 F/DQ/BW/VL (plus FMA) present and enabled by the OS. */
  bool can_avx512() const { return can_avx2() && os_zmm && avx512f && avx512dq && avx512bw && avx512vl; }
};

CpuFeatures detect_cpu_features();

}  // namespace brokenrecord

#endif
