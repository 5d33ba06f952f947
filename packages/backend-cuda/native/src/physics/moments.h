// Diagnostics, per particle: the terms each particle adds to the sums of core's computeDiagnostics.
// The host executor adds them in index order; the CUDA kernel reduces them per block in shared
// memory and the host adds the block sums in block order (deterministic, float64 throughout).
#ifndef BROKENRECORD_CUDA_MOMENTS_H
#define BROKENRECORD_CUDA_MOMENTS_H

#include <math.h>
#include <brokenrecord/diagnostics_array.h>
#include <brokenrecord/physics.h>

namespace brokenrecord {

/** kinetic, potential, momentum[3], angular momentum[3], Σ m x[3], mass. */
constexpr int kMoments = 12;
enum MomentSlot { kKinetic = 0, kPotential = 1, kMomentum = 2, kAngular = 5, kMassPosition = 8, kMass = 11 };
// The sums line up with the diagnostics array the addon returns (brokenrecord/diagnostics_array.h);
// only slots 8-10 hold Σ m x here and are divided by the mass at the boundary.
static_assert(kMoments == kDiagnosticsLength && kKinetic == kDiagKinetic && kPotential == kDiagPotential &&
                  kMomentum == kDiagMomentum && kAngular == kDiagAngularMomentum &&
                  kMassPosition == kDiagCenterOfMass && kMass == kDiagMass,
              "the moment sums and the diagnostics array share their layout");

/** Adds particle (x, v, m)'s kinetic energy, momenta, mass and m*x to `out`. */
BR_INLINE void add_particle_moments(double m, double x, double y, double z, double u, double v, double w, double* out) {
  out[kKinetic] += 0.5 * m * (u * u + v * v + w * w);
  out[kMomentum + 0] += m * u;
  out[kMomentum + 1] += m * v;
  out[kMomentum + 2] += m * w;
  out[kAngular + 0] += m * (y * w - z * v);
  out[kAngular + 1] += m * (z * u - x * w);
  out[kAngular + 2] += m * (x * v - y * u);
  out[kMassPosition + 0] += m * x;
  out[kMassPosition + 1] += m * y;
  out[kMassPosition + 2] += m * z;
  out[kMass] += m;
}

/** -m g·x: the uniform gravity potential of one particle. */
BR_INLINE double uniform_potential(double m, double x, double y, double z, const double* g) {
  return -m * (g[0] * x + g[1] * y + g[2] * z);
}

/** -G m_i Σ_{j>i} m_j / sqrt(r² + ε²): particle i's row of the pairwise potential. */
BR_INLINE double pairwise_potential_row(unsigned i, unsigned n, const float* px, const float* py, const float* pz,
                                        const float* mass, double G, double eps2) {
  const double xi = px[i], yi = py[i], zi = pz[i];
  double sum = 0;
  for (unsigned j = i + 1; j < n; j++) {
    const double dx = px[j] - xi, dy = py[j] - yi, dz = pz[j] - zi;
    sum += mass[j] / sqrt(dx * dx + dy * dy + dz * dz + eps2);
  }
  return -G * mass[i] * sum;
}

}  // namespace brokenrecord

#endif
