// Packing and applying, shared by every instruction set (the narrow phase itself is in
// collisions_{scalar,avx2,avx512}.cpp).
#include "collisions.h"

namespace brokenrecord {

void pack_contacts(const Columns& c, const Grid& grid, const ContactBuffers& out, size_t lo, size_t hi) {
  const int32_t* order = grid.order();
  for (size_t k = lo; k < hi; k++) {
    const size_t i = (size_t)order[k];
    out.xs[k] = c.px[i];
    out.ys[k] = c.py[i];
    out.zs[k] = c.pz[i];
    out.rs[k] = c.radius[i];
  }
}

void apply_impulses(const Columns& c, const double* dvx, const double* dvy, const double* dvz, size_t lo, size_t hi) {
  for (size_t i = lo; i < hi; i++) {
    c.vx[i] = (float)((double)c.vx[i] + dvx[i]);
    c.vy[i] = (float)((double)c.vy[i] + dvy[i]);
    c.vz[i] = (float)((double)c.vz[i] + dvz[i]);
  }
}

}  // namespace brokenrecord
