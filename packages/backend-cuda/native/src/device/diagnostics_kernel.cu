// Diagnostics reduced on the device in float64: each thread its particle's terms
// (physics/moments.h), a shared-memory tree per block, one row of block sums per block. The host
// adds the rows in block order, so the result does not depend on scheduling.
#include "device_check.h"
#include "kernels.h"
#include "../physics/moments.h"

namespace brokenrecord {

namespace {

constexpr int kBlock = 128;

__global__ void __launch_bounds__(kBlock)
    diagnostics_kernel(DeviceState s, bool with_moments, bool has_rule, PotentialRule rule, double* partials) {
  __shared__ double sums[kMoments][kBlock];
  const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  double mine[kMoments];
  for (int k = 0; k < kMoments; k++) mine[k] = 0;
  if (i < s.n) {
    if (with_moments) add_particle_moments(s.mass[i], s.px[i], s.py[i], s.pz[i], s.vx[i], s.vy[i], s.vz[i], mine);
    if (has_rule) {
      mine[kPotential] += rule.pairwise ? pairwise_potential_row(i, s.n, s.px, s.py, s.pz, s.mass, rule.G, rule.eps2)
                                        : uniform_potential(s.mass[i], s.px[i], s.py[i], s.pz[i], rule.g);
    }
  }
  for (int k = 0; k < kMoments; k++) sums[k][threadIdx.x] = mine[k];
  __syncthreads();
  for (int half = kBlock / 2; half > 0; half /= 2) {
    if ((int)threadIdx.x < half) {
      for (int k = 0; k < kMoments; k++) sums[k][threadIdx.x] += sums[k][threadIdx.x + half];
    }
    __syncthreads();
  }
  if (threadIdx.x < kMoments) partials[(size_t)blockIdx.x * kMoments + threadIdx.x] = sums[threadIdx.x][0];
}

}  // namespace

unsigned diagnostics_blocks(unsigned n) { return n == 0 ? 1 : (n + kBlock - 1) / kBlock; }

void launch_diagnostics(const DeviceState& s, bool with_moments, const PotentialRule* rule, double* partials,
                        cudaStream_t stream) {
  const PotentialRule none{};
  diagnostics_kernel<<<diagnostics_blocks(s.n), kBlock, 0, stream>>>(s, with_moments, rule != nullptr,
                                                                     rule ? *rule : none, partials);
  check_launch("diagnostics_kernel");
}

}  // namespace brokenrecord
