// collisions narrow phase, scalar path: every candidate of the 3x3x3 cells is tested in turn, in
// double like the reference. Only the pair set matters (the stepper orders it), and it is the
// brute-force set.
#include <brokenrecord/physics.h>
#include "broadphase.h"
#include "collisions.h"

namespace brokenrecord {

void find_contacts_scalar(const ContactView& view, void* sink, size_t lo, size_t hi) {
  int32_t ranges[18];
  int slices = 0;
  int64_t ranges_cell = -1;
  for (size_t k = lo; k < hi; k++) {
    const size_t i = (size_t)view.order[k];
    const double px = view.xs[k], py = view.ys[k], pz = view.zs[k], pr = view.rs[k];
    const int64_t cell = view.cell_of[i];
    if (cell != ranges_cell) {  // particles of one cell share their neighbourhood
      slices = view.grid->neighbour_ranges(i, ranges);
      ranges_cell = cell;
    }
    for (int s = 0; s < slices; s++) {
      for (int32_t kk = ranges[2 * s], end = ranges[2 * s + 1]; kk < end; kk++) {
        const size_t j = (size_t)view.order[kk];
        if (j <= i) continue;
        const double dx = view.xs[kk] - px, dy = view.ys[kk] - py, dz = view.zs[kk] - pz;
        if (touching(dx * dx + dy * dy + dz * dz, pr + view.rs[kk])) view.emit(sink, (uint32_t)i, (uint32_t)j);
      }
    }
  }
}

}  // namespace brokenrecord
