// Soft-sphere contacts (docs/physics.md, "Soft-sphere contacts") on the collision broadphase of
// contact_grid.h: each particle sums the forces of its own contacts (brokenrecord/contacts.h), so
// no two threads write the same memory and the result does not depend on launch order.
// __host__ __device__: the host executor and the device kernel call these very functions.
#ifndef BROKENRECORD_CUDA_SOFT_CONTACTS_H
#define BROKENRECORD_CUDA_SOFT_CONTACTS_H

#include <brokenrecord/contacts.h>
#include "contact_grid.h"
#include "cuda_plan.h"

namespace brokenrecord {

/** Σ over every overlapping neighbour j of the contact force on particle i, divided by m_i. */
BR_INLINE void contact_acceleration(unsigned i, const ContactInputs& in, const ContactLaw& law, double& ax, double& ay,
                                    double& az) {
  const float xi = in.px[i], yi = in.py[i], zi = in.pz[i];
  const long long cx = cell_of(xi, in.shape.inv_cell), cy = cell_of(yi, in.shape.inv_cell),
                  cz = cell_of(zi, in.shape.inv_cell);
  const double mi = in.mass[i], ri = in.radius[i];
  const double ui = in.vx[i], vi = in.vy[i], wi = in.vz[i];
  double sx = 0, sy = 0, sz = 0;
  for (int oz = -1; oz <= 1; oz++) {
    for (int oy = -1; oy <= 1; oy++) {
      for (int ox = -1; ox <= 1; ox++) {
        const long long nx = cx + ox, ny = cy + oy, nz = cz + oz;
        const unsigned b = bucket_of(nx, ny, nz, in.shape.mask);
        for (unsigned s = in.bucket_begin[b]; s < in.bucket_end[b]; s++) {
          const unsigned j = in.order[s];
          if (j == i) continue;
          const float xj = in.px[j], yj = in.py[j], zj = in.pz[j];
          if (cell_of(xj, in.shape.inv_cell) != nx || cell_of(yj, in.shape.inv_cell) != ny ||
              cell_of(zj, in.shape.inv_cell) != nz) {
            continue;  // another cell hashed into this bucket
          }
          contact_force<double>(law, xi, yi, zi, ui, vi, wi, ri, mi, xj, yj, zj, in.vx[j], in.vy[j], in.vz[j],
                                in.radius[j], in.mass[j], sx, sy, sz);
        }
      }
    }
  }
  ax = sx / mi;
  ay = sy / mi;
  az = sz / mi;
}

/** Σ over overlapping neighbours j > i of the pair's elastic energy: summed over i, each pair once. */
BR_INLINE double contact_energy_row(unsigned i, const ContactInputs& in, const ContactLaw& law) {
  const float xi = in.px[i], yi = in.py[i], zi = in.pz[i];
  const long long cx = cell_of(xi, in.shape.inv_cell), cy = cell_of(yi, in.shape.inv_cell),
                  cz = cell_of(zi, in.shape.inv_cell);
  double u = 0;
  for (int oz = -1; oz <= 1; oz++) {
    for (int oy = -1; oy <= 1; oy++) {
      for (int ox = -1; ox <= 1; ox++) {
        const long long nx = cx + ox, ny = cy + oy, nz = cz + oz;
        const unsigned b = bucket_of(nx, ny, nz, in.shape.mask);
        for (unsigned s = in.bucket_begin[b]; s < in.bucket_end[b]; s++) {
          const unsigned j = in.order[s];
          if (j <= i) continue;
          const float xj = in.px[j], yj = in.py[j], zj = in.pz[j];
          if (cell_of(xj, in.shape.inv_cell) != nx || cell_of(yj, in.shape.inv_cell) != ny ||
              cell_of(zj, in.shape.inv_cell) != nz) {
            continue;
          }
          u += pair_contact_energy<double>(law, xi, yi, zi, in.radius[i], xj, yj, zj, in.radius[j]);
        }
      }
    }
  }
  return u;
}

/**
 * Axis k of the kick of a system with contacts: a = (g - k*v) + f, plus the contact acceleration
 * and the generated terms' (`terms`, 0 without them), summed in double and rounded once.
 */
BR_INLINE float kick_with_contact(const MotionPlan& p, int k, float v, bool with_f, float f, double contact,
                                  double terms, float h) {
  float local = p.k != 0.0f ? local_acceleration(p.g[k], p.k, v) : p.g[k];
  if (with_f) local = local + f;
  return kick_with_contacts(v, local, contact + terms, h);
}

}  // namespace brokenrecord

#endif
