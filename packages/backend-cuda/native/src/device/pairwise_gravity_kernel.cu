// All-pairs gravity: one thread per target, sources staged tile by tile (kGravityTile = block
// size) in shared memory so each position is read from global memory once per block, not once
// per pair. The tile sum is physics/gravity_tile.h's, the host executor's too.
#include "device_check.h"
#include "kernels.h"
#include "../physics/gravity_tile.h"

namespace brokenrecord {

namespace {

__global__ void __launch_bounds__(kGravityTile)
    pairwise_gravity_kernel(DeviceState s, float eps2, double G, bool first, float* fx, float* fy, float* fz) {
  __shared__ float tx[kGravityTile], ty[kGravityTile], tz[kGravityTile], tm[kGravityTile];
  const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  const bool target = i < s.n;
  const float xi = target ? s.px[i] : 0.0f, yi = target ? s.py[i] : 0.0f, zi = target ? s.pz[i] : 0.0f;
  double sx = 0, sy = 0, sz = 0;
  for (unsigned j0 = 0; j0 < s.n; j0 += kGravityTile) {
    const unsigned j = j0 + threadIdx.x;
    if (j < s.n) {
      tx[threadIdx.x] = s.px[j];
      ty[threadIdx.x] = s.py[j];
      tz[threadIdx.x] = s.pz[j];
      tm[threadIdx.x] = s.mass[j];
    }
    __syncthreads();
    const int count = s.n - j0 < (unsigned)kGravityTile ? (int)(s.n - j0) : kGravityTile;
    const int self = i >= j0 && i < j0 + (unsigned)count ? (int)(i - j0) : -1;
    if (target) gravity_from_tile(xi, yi, zi, tx, ty, tz, tm, count, self, eps2, sx, sy, sz);
    __syncthreads();
  }
  if (!target) return;
  fx[i] = gravity_total(G, sx, first, first ? 0.0f : fx[i]);
  fy[i] = gravity_total(G, sy, first, first ? 0.0f : fy[i]);
  fz[i] = gravity_total(G, sz, first, first ? 0.0f : fz[i]);
}

}  // namespace

void launch_pairwise_gravity(const DeviceState& s, const PairwiseTerm& term, bool first, float* fx, float* fy,
                             float* fz, cudaStream_t stream) {
  const unsigned blocks = (s.n + kGravityTile - 1) / kGravityTile;
  pairwise_gravity_kernel<<<blocks, kGravityTile, 0, stream>>>(s, term.eps2, term.G, first, fx, fy, fz);
  check_launch("pairwise_gravity_kernel");
}

}  // namespace brokenrecord
