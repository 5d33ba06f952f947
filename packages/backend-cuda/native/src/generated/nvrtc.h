// NVRTC, the CUDA run-time compiler, opened at run time (dlopen libnvrtc.so*) when the machine has
// it: the generated terms' CUDA source compiled in process into a cubin for the device. Absent
// (as on machines with only nvcc), it says why, and the caller uses nvcc.
#ifndef BROKENRECORD_CUDA_NVRTC_H
#define BROKENRECORD_CUDA_NVRTC_H

#include <string>
#include <vector>

namespace brokenrecord {

struct NvrtcStatus {
  bool available = false;
  std::string version;  // "major.minor" when available
  std::string reason;   // why not, otherwise
};

/** Whether NVRTC could be opened (the first call tries, later ones repeat the answer). */
NvrtcStatus nvrtc_status();

struct NvrtcResult {
  bool ok = false;
  std::vector<unsigned char> image;  // cubin
  std::string log;                   // the compiler's log
  std::string error;                 // the failing call's message when !ok
};

/** Compiles `source` with `options` (e.g. --gpu-architecture=sm_90); `stdint.h` is supplied. */
NvrtcResult nvrtc_compile(const std::string& source, const std::string& name, const std::vector<std::string>& options);

}  // namespace brokenrecord

#endif
