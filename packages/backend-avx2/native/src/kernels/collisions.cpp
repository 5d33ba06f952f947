// The narrow phase runs per particle over its grid neighbours, so threads split the particles
// without sharing any write. Computed in double like the reference; a particle's candidates are
// visited in the same order (cells row by row, ascending index within a cell), so the sums and
// therefore the bits are the same.
#include "collisions.h"

#include <brokenrecord/physics.h>

namespace brokenrecord {

void pack_contacts(const Columns& c, const Grid& grid, ContactParticle* packed, size_t lo, size_t hi) {
  const int32_t* order = grid.order();
  for (size_t k = lo; k < hi; k++) {
    const size_t i = (size_t)order[k];
    packed[k] = ContactParticle{c.px[i], c.py[i], c.pz[i], c.vx[i], c.vy[i], c.vz[i], c.radius[i], c.mass[i]};
  }
}

void collision_impulses(const ContactParticle* packed, const Grid& grid, double bounce, double* dvx,
                        double* dvy, double* dvz, size_t lo, size_t hi) {
  const int32_t* order = grid.order();
  int32_t ranges[18];
  int slices = 0;
  int64_t ranges_cell = -1;
  for (size_t k = lo; k < hi; k++) {
    const size_t i = (size_t)order[k];
    const ContactParticle& p = packed[k];
    const int64_t cell = grid.cell_of(i);
    if (cell != ranges_cell) {  // particles of one cell share their neighbourhood
      slices = grid.neighbour_ranges(cell, ranges);
      ranges_cell = cell;
    }
    const double inv_m = 1.0 / p.m;
    double sx = 0, sy = 0, sz = 0;
    for (int s = 0; s < slices; s++) {
      for (int32_t kk = ranges[2 * s], end = ranges[2 * s + 1]; kk < end; kk++) {
        if ((size_t)kk == k) continue;
        const ContactParticle& q = packed[kk];
        collision_impulse(p.x, p.y, p.z, p.u, p.v, p.w, p.r, p.m, inv_m, q.x, q.y, q.z, q.u, q.v, q.w, q.r, q.m,
                          bounce, sx, sy, sz);
      }
    }
    dvx[i] = sx;
    dvy[i] = sy;
    dvz[i] = sz;
  }
}

void apply_impulses(const Columns& c, const double* dvx, const double* dvy, const double* dvz, size_t lo,
                    size_t hi) {
  for (size_t i = lo; i < hi; i++) {
    c.vx[i] = (float)((double)c.vx[i] + dvx[i]);
    c.vy[i] = (float)((double)c.vy[i] + dvy[i]);
    c.vz[i] = (float)((double)c.vz[i] + dvz[i]);
  }
}

}  // namespace brokenrecord
