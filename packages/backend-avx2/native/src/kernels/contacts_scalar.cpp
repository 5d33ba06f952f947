// Soft-sphere contacts narrow phase, scalar path: every candidate of the 3x3x3 cells in turn, the
// force of brokenrecord/contacts.h for each touching one, in the reference's visiting order.
#include <brokenrecord/contacts.h>
#include "broadphase.h"
#include "kernel_table.h"

namespace brokenrecord {

void contact_forces_scalar(const ContactForceView& view, size_t lo, size_t hi) {
  int32_t ranges[18];
  int slices = 0;
  int64_t ranges_cell = -1;
  for (size_t k = lo; k < hi; k++) {
    const size_t i = (size_t)view.order[k];
    const double px = view.xs[k], py = view.ys[k], pz = view.zs[k], pr = view.rs[k];
    const double pu = view.vx[i], pv = view.vy[i], pw = view.vz[i], pm = view.mass[i];
    const int64_t cell = view.cell_of[i];
    if (cell != ranges_cell) {  // particles of one cell share their neighbourhood
      slices = view.grid->neighbour_ranges(i, ranges);
      ranges_cell = cell;
    }
    double sx = 0, sy = 0, sz = 0;
    for (int s = 0; s < slices; s++) {
      for (int32_t kk = ranges[2 * s], end = ranges[2 * s + 1]; kk < end; kk++) {
        if ((size_t)kk == k) continue;
        const size_t j = (size_t)view.order[kk];
        contact_force<double>(view.law, px, py, pz, pu, pv, pw, pr, pm, view.xs[kk], view.ys[kk], view.zs[kk],
                              view.vx[j], view.vy[j], view.vz[j], view.rs[kk], view.mass[j], sx, sy, sz);
      }
    }
    view.ax[i] = sx / pm;
    view.ay[i] = sy / pm;
    view.az[i] = sz / pm;
  }
}

}  // namespace brokenrecord
