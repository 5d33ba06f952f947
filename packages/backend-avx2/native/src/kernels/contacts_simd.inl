// Soft-sphere contacts narrow phase for the SIMD paths, as collisions_simd.inl: the overlap test
// runs on DW candidates at once (the scalar test operation for operation), and only the touching
// ones, in candidate order, go through the force of brokenrecord/contacts.h, so the sums and
// their bits equal the scalar path's.
//
// Required macros: as collisions_simd.inl (DV, DW, DSET1, DSUB, DMUL, DADD, DLOAD_FIRST, DTOUCH_BITS).

#include <brokenrecord/contacts.h>
#include "broadphase.h"
#include "kernel_table.h"

namespace brokenrecord {
namespace {

void contact_forces_simd(const ContactForceView& view, size_t lo, size_t hi) {
  int32_t ranges[18];
  int slices = 0;
  int64_t ranges_cell = -1;
  for (size_t k = lo; k < hi; k++) {
    const size_t i = (size_t)view.order[k];
    const double px = view.xs[k], py = view.ys[k], pz = view.zs[k], pr = view.rs[k];
    const double pu = view.vx[i], pv = view.vy[i], pw = view.vz[i], pm = view.mass[i];
    const int64_t cell = view.cell_of[i];
    if (cell != ranges_cell) {
      slices = view.grid->neighbour_ranges(i, ranges);
      ranges_cell = cell;
    }
    const DV X = DSET1(px), Y = DSET1(py), Z = DSET1(pz), R = DSET1(pr);
    double sx = 0, sy = 0, sz = 0;
    for (int s = 0; s < slices; s++) {
      for (int32_t kk = ranges[2 * s], end = ranges[2 * s + 1]; kk < end; kk += DW) {
        const int count = end - kk < DW ? end - kk : DW;
        const DV dx = DSUB(DLOAD_FIRST(view.xs + kk, count), X);
        const DV dy = DSUB(DLOAD_FIRST(view.ys + kk, count), Y);
        const DV dz = DSUB(DLOAD_FIRST(view.zs + kk, count), Z);
        const DV d2 = DADD(DADD(DMUL(dx, dx), DMUL(dy, dy)), DMUL(dz, dz));
        const DV rs = DADD(R, DLOAD_FIRST(view.rs + kk, count));
        unsigned bits = DTOUCH_BITS(d2, DMUL(rs, rs), count);
        while (bits) {
          const int32_t slot = kk + __builtin_ctz(bits);
          bits &= bits - 1;
          const size_t j = (size_t)view.order[slot];
          contact_force<double>(view.law, px, py, pz, pu, pv, pw, pr, pm, view.xs[slot], view.ys[slot], view.zs[slot],
                                view.vx[j], view.vy[j], view.vz[j], view.rs[slot], view.mass[j], sx, sy, sz);
        }
      }
    }
    view.ax[i] = sx / pm;
    view.ay[i] = sy / pm;
    view.az[i] = sz / pm;
  }
}

}  // namespace
}  // namespace brokenrecord

#define BR_EXPORT_CONTACT_FORCES(suffix)                                             \
  namespace brokenrecord {                                                           \
  void contact_forces_##suffix(const ContactForceView& view, size_t lo, size_t hi) { \
    contact_forces_simd(view, lo, hi);                                               \
  }                                                                                  \
  }
