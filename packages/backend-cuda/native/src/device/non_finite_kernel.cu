// Core's divergence scan on the device: every thread whose particle is not finite offers its index
// to one atomicMin, so the host reads back one word instead of the state.
#include "device_check.h"
#include "kernels.h"
#include "../physics/finite.h"

namespace brokenrecord {

namespace {

constexpr int kBlock = 256;

__global__ void __launch_bounds__(kBlock) first_non_finite_kernel(DeviceState s, unsigned* first) {
  const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < s.n && !particle_finite(s.px[i], s.py[i], s.pz[i], s.vx[i], s.vy[i], s.vz[i])) atomicMin(first, i);
}

}  // namespace

void launch_first_non_finite(const DeviceState& s, unsigned* first, cudaStream_t stream) {
  check(cudaMemsetAsync(first, 0xff, sizeof(unsigned), stream), "clearing the non-finite scan");
  if (s.n == 0) return;
  first_non_finite_kernel<<<(s.n + kBlock - 1) / kBlock, kBlock, 0, stream>>>(s, first);
  check_launch("first_non_finite_kernel");
}

}  // namespace brokenrecord
