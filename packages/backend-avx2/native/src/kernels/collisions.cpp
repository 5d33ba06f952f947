// The narrow phase runs per particle over its grid neighbours, so threads split the particles
// without sharing any write. Computed in double like the reference: the same contacts visited in
// the same order give the same bits.
#include "collisions.h"

#include <brokenrecord/physics.h>

namespace brokenrecord {

void collision_impulses(const Columns& c, const Grid& grid, double bounce, double* dvx, double* dvy,
                        double* dvz, size_t lo, size_t hi) {
  const int32_t* order = grid.order();
  int32_t ranges[18];
  for (size_t i = lo; i < hi; i++) {
    const double xi = c.px[i], yi = c.py[i], zi = c.pz[i];
    const double ui = c.vx[i], vi = c.vy[i], wi = c.vz[i];
    const double ri = c.radius[i], mi = c.mass[i], inv_mi = 1.0 / mi;
    double sx = 0, sy = 0, sz = 0;
    const int slices = grid.neighbour_ranges(xi, yi, zi, ranges);
    for (int s = 0; s < slices; s++) {
      for (int32_t k = ranges[2 * s], end = ranges[2 * s + 1]; k < end; k++) {
        const size_t j = (size_t)order[k];
        if (j == i) continue;
        collision_impulse(xi, yi, zi, ui, vi, wi, ri, mi, inv_mi, c.px[j], c.py[j], c.pz[j], c.vx[j], c.vy[j],
                          c.vz[j], c.radius[j], c.mass[j], bounce, sx, sy, sz);
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
