// The kick of a system with generated terms: physics/generated_kick.h per particle and axis, with
// the terms' double accelerations beside the float pairwise gravity.
#include "../physics/generated_kick.h"
#include "device_check.h"
#include "device_terms.h"

namespace brokenrecord {

namespace {

constexpr int kBlock = 256;

__global__ void kick_terms_kernel(MotionPlan plan, DeviceState s, const float* fx, const float* fy, const float* fz,
                                  const double* ax, const double* ay, const double* az, float h) {
  const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= s.n) return;
  const bool with_f = fx != nullptr;
  s.vx[i] = kick_with_terms(plan, 0, s.vx[i], with_f, with_f ? fx[i] : 0.0f, ax[i], h);
  s.vy[i] = kick_with_terms(plan, 1, s.vy[i], with_f, with_f ? fy[i] : 0.0f, ay[i], h);
  s.vz[i] = kick_with_terms(plan, 2, s.vz[i], with_f, with_f ? fz[i] : 0.0f, az[i], h);
}

}  // namespace

void launch_kick_terms(const MotionPlan& plan, const DeviceState& s, const float* fx, const float* fy, const float* fz,
                       const double* const (&a)[3], float h, cudaStream_t stream) {
  if (s.n == 0) return;
  kick_terms_kernel<<<(s.n + kBlock - 1) / kBlock, kBlock, 0, stream>>>(plan, s, fx, fy, fz, a[0], a[1], a[2], h);
  check_launch("kick_terms_kernel");
}

}  // namespace brokenrecord
