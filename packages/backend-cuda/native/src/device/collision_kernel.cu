// Jacobi contacts: every thread sums its particle's impulses from the velocities as the phase
// began (27-cell scan of physics/contact_grid.h), then a second launch applies them, so no
// velocity is read after another thread changed it and no atomics are needed.
#include "device_check.h"
#include "kernels.h"

namespace brokenrecord {

namespace {

constexpr int kBlock = 128;

__global__ void contact_impulses_kernel(ContactInputs in, unsigned n, double* dvx, double* dvy, double* dvz) {
  const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  double x, y, z;
  contact_velocity_change(i, in, x, y, z);
  dvx[i] = x;
  dvy[i] = y;
  dvz[i] = z;
}

__global__ void apply_impulses_kernel(DeviceState s, const double* dvx, const double* dvy, const double* dvz) {
  const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= s.n) return;
  s.vx[i] = apply_velocity_change(s.vx[i], dvx[i]);
  s.vy[i] = apply_velocity_change(s.vy[i], dvy[i]);
  s.vz[i] = apply_velocity_change(s.vz[i], dvz[i]);
}

}  // namespace

void launch_collisions(const DeviceState& s, const ContactInputs& in, double* dvx, double* dvy, double* dvz,
                       cudaStream_t stream) {
  const unsigned blocks = (s.n + kBlock - 1) / kBlock;
  contact_impulses_kernel<<<blocks, kBlock, 0, stream>>>(in, s.n, dvx, dvy, dvz);
  check_launch("contact_impulses_kernel");
  apply_impulses_kernel<<<blocks, kBlock, 0, stream>>>(s, dvx, dvy, dvz);
  check_launch("apply_impulses_kernel");
}

}  // namespace brokenrecord
