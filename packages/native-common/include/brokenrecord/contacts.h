// Soft-sphere (DEM) contacts of docs/physics.md, "Soft-sphere contacts", written once for every
// native path: the SIMD addon's scalar and vector kernels (which find the touching candidates with
// vector compares, then call these for each touching pair) and the CUDA device and host executors.
// Computed in double, like the TypeScript reference, over a lane type D (double on every path
// today: the touching pairs are rare among the candidates, so the force itself is not the cost).
#ifndef BROKENRECORD_CONTACTS_H
#define BROKENRECORD_CONTACTS_H

#include <math.h>
#include "physics.h"

namespace brokenrecord {

/**
 * The normal force law of a contacts rule (core's ContactTerm): c = gamma*m_eff + beta*sqrt(k*m_eff),
 * w = 1 (hooke) or sqrt(delta*R_eff) (hertz), F_n = w*(k*delta - c*u). Tangential terms (friction,
 * rotation) will be further fields here; none exist yet.
 */
struct ContactLaw {
  bool hertz = false;
  double k = 0;      // stiffness
  double gamma = 0;  // dampingRate: the part of c proportional to m_eff
  double beta = 0;   // dampingRatio: the part of c proportional to sqrt(k*m_eff)
};

/**
 * Adds to (sx, sy, sz) the contact force on particle i from j (d = x_j - x_i), if they overlap
 * (|d|^2 < (r_i + r_j)^2, |d|^2 > 0: physics.h `touching`). Every input changes sign only when i
 * and j swap, so the pair's force is bit-identical seen from either side.
 */
template <class D>
BR_INLINE void contact_force(const ContactLaw& law, D xi, D yi, D zi, D ui, D vi, D wi, D ri, D mi, D xj, D yj, D zj,
                             D uj, D vj, D wj, D rj, D mj, D& sx, D& sy, D& sz) {
  const D dx = xj - xi, dy = yj - yi, dz = zj - zi;
  const D d2 = dx * dx + dy * dy + dz * dz;
  const D rs = ri + rj;
  if (!touching(d2, rs)) return;
  const D r = sqrt(d2);
  const D nx = dx / r, ny = dy / r, nz = dz / r;
  const D delta = rs - r;
  const D u = (uj - ui) * nx + (vj - vi) * ny + (wj - wi) * nz;
  const D meff = (mi * mj) / (mi + mj);
  const D c = law.gamma * meff + law.beta * sqrt(law.k * meff);
  const D w = law.hertz ? sqrt((delta * (ri * rj)) / (ri + rj)) : D(1);
  const D fn = w * (law.k * delta - c * u);
  sx -= fn * nx;
  sy -= fn * ny;
  sz -= fn * nz;
}

/** Elastic energy of one overlap delta > 0: k*delta^2/2 (hooke), (2/5)*k*sqrt(R_eff)*delta^(5/2) (hertz). */
template <class D>
BR_INLINE D contact_energy(const ContactLaw& law, D delta, D ri, D rj) {
  if (!law.hertz) return 0.5 * law.k * delta * delta;
  const D reff = (ri * rj) / (ri + rj);
  return 0.4 * law.k * sqrt(reff) * delta * delta * sqrt(delta);
}

/** The energy of the pair (i, j) if it overlaps, else 0 (diagnostics: each pair once). */
template <class D>
BR_INLINE D pair_contact_energy(const ContactLaw& law, D xi, D yi, D zi, D ri, D xj, D yj, D zj, D rj) {
  const D dx = xj - xi, dy = yj - yi, dz = zj - zi;
  const D d2 = dx * dx + dy * dy + dz * dz;
  if (!touching(d2, ri + rj)) return D(0);
  return contact_energy(law, ri + rj - sqrt(d2), ri, rj);
}

/** The kick of a particle with contacts: a = (g - k*v) + f summed with the contact acceleration in double, rounded
 * once. */
BR_INLINE float kick_with_contacts(float v, float local, double contact, float h) {
  return (float)((double)v + ((double)local + contact) * (double)h);
}

}  // namespace brokenrecord

#endif  // BROKENRECORD_CONTACTS_H
