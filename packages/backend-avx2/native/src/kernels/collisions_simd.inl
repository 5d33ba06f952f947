// collisions narrow phase for the SIMD paths. Most candidates of the 3x3x3 cells do not touch,
// and which ones do is unpredictable, so a branch per candidate mispredicts constantly. Here the
// contact test runs on DW candidates at once (contiguous slots of a cell row, masked loads) and
// only the touching ones are emitted. The test is the scalar one operation for operation
// (d2 = (dx*dx + dy*dy) + dz*dz, no FMA), so exactly the scalar path's pairs are found.
//
// Required macros: DV (double vector), DW (lanes), DSET1, DSUB, DMUL, DADD, DLOAD_FIRST(p, count)
// (lanes >= count read nothing), DTOUCH_BITS(d2, rs2, count) (bit l set when lane l < count,
// d2 < rs2 and d2 > 0).

#include <brokenrecord/physics.h>
#include "broadphase.h"
#include "collisions.h"

namespace brokenrecord {
namespace {

void find_contacts_simd(const ContactView& view, void* sink, size_t lo, size_t hi) {
  int32_t ranges[18];
  int slices = 0;
  int64_t ranges_cell = -1;
  for (size_t k = lo; k < hi; k++) {
    const size_t i = (size_t)view.order[k];
    const double px = view.xs[k], py = view.ys[k], pz = view.zs[k], pr = view.rs[k];
    const int64_t cell = view.cell_of[i];
    if (cell != ranges_cell) {
      slices = view.grid->neighbour_ranges(i, ranges);
      ranges_cell = cell;
    }
    const DV X = DSET1(px), Y = DSET1(py), Z = DSET1(pz), R = DSET1(pr);
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
          if (j > i) view.emit(sink, (uint32_t)i, (uint32_t)j);
        }
      }
    }
  }
}

}  // namespace
}  // namespace brokenrecord

#define BR_EXPORT_FIND_CONTACTS(suffix)                                                    \
  namespace brokenrecord {                                                                 \
  void find_contacts_##suffix(const ContactView& view, void* sink, size_t lo, size_t hi) { \
    find_contacts_simd(view, sink, lo, hi);                                                \
  }                                                                                        \
  }
