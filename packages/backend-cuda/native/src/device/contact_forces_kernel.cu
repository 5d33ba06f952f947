// Soft-sphere contacts on the device (physics/soft_contacts.h): one thread per particle sums its
// own contact forces over the 27 cells of the collision grid, a second launch kicks with them, and
// the diagnostics take one energy row per particle. No atomics: no two threads write one value.
#include "../physics/soft_contacts.h"
#include "device_check.h"
#include "kernels.h"

namespace brokenrecord {

namespace {

constexpr int kBlock = 128;

__global__ void contact_forces_kernel(ContactInputs in, ContactLaw law, unsigned n, double* ax, double* ay,
                                      double* az) {
  const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  double x, y, z;
  contact_acceleration(i, in, law, x, y, z);
  ax[i] = x;
  ay[i] = y;
  az[i] = z;
}

__global__ void kick_contacts_kernel(MotionPlan plan, DeviceState s, const float* fx, const float* fy, const float* fz,
                                     const double* cx, const double* cy, const double* cz, const double* tx,
                                     const double* ty, const double* tz, float h) {
  const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= s.n) return;
  const bool with_f = fx != nullptr, with_t = tx != nullptr;
  s.vx[i] = kick_with_contact(plan, 0, s.vx[i], with_f, with_f ? fx[i] : 0.0f, cx[i], with_t ? tx[i] : 0.0, h);
  s.vy[i] = kick_with_contact(plan, 1, s.vy[i], with_f, with_f ? fy[i] : 0.0f, cy[i], with_t ? ty[i] : 0.0, h);
  s.vz[i] = kick_with_contact(plan, 2, s.vz[i], with_f, with_f ? fz[i] : 0.0f, cz[i], with_t ? tz[i] : 0.0, h);
}

__global__ void contact_energy_kernel(ContactInputs in, ContactLaw law, unsigned n, double* rows) {
  const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  rows[i] = contact_energy_row(i, in, law);
}

}  // namespace

void launch_contact_forces(const DeviceState& s, const ContactInputs& in, const ContactLaw& law,
                           double* const (&contact)[3], cudaStream_t stream) {
  if (s.n == 0) return;
  contact_forces_kernel<<<(s.n + kBlock - 1) / kBlock, kBlock, 0, stream>>>(in, law, s.n, contact[0], contact[1],
                                                                            contact[2]);
  check_launch("contact_forces_kernel");
}

void launch_kick_contacts(const MotionPlan& plan, const DeviceState& s, const float* const (&f)[3],
                          const double* const (&contact)[3], const double* const (&terms)[3], float h,
                          cudaStream_t stream) {
  if (s.n == 0) return;
  kick_contacts_kernel<<<(s.n + kBlock - 1) / kBlock, kBlock, 0, stream>>>(
      plan, s, f[0], f[1], f[2], contact[0], contact[1], contact[2], terms[0], terms[1], terms[2], h);
  check_launch("kick_contacts_kernel");
}

void launch_contact_energy(const DeviceState& s, const ContactInputs& in, const ContactLaw& law, double* rows,
                           cudaStream_t stream) {
  if (s.n == 0) return;
  contact_energy_kernel<<<(s.n + kBlock - 1) / kBlock, kBlock, 0, stream>>>(in, law, s.n, rows);
  check_launch("contact_energy_kernel");
}

}  // namespace brokenrecord
