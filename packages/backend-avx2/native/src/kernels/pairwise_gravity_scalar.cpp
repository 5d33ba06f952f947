// pairwiseGravity, scalar path: exact 1/sqrt per pair (physics.h gravity_source). Sources are
// summed in float within tiles of TILE and the tile sums in double, which keeps long sums accurate
// at the cost of one conversion per tile.
#include <stddef.h>
#include <brokenrecord/physics.h>
#include "kernel_table.h"

namespace brokenrecord {

void pairwise_gravity_scalar(const GravityArgs& g) {
  constexpr size_t TILE = 256;
  for (size_t i = g.lo; i < g.hi; i++) {
    const float xi = g.px[i], yi = g.py[i], zi = g.pz[i];
    double sx = 0, sy = 0, sz = 0;
    for (size_t j0 = 0; j0 < g.n; j0 += TILE) {
      const size_t j1 = g.n - j0 < TILE ? g.n : j0 + TILE;
      float tx = 0, ty = 0, tz = 0;
      for (size_t j = j0; j < j1; j++) {
        if (j == i) continue;
        gravity_source(g.px[j] - xi, g.py[j] - yi, g.pz[j] - zi, g.m[j], g.eps2, tx, ty, tz);
      }
      sx += tx;
      sy += ty;
      sz += tz;
    }
    g.fx[i] = (float)(g.first ? g.G * sx : (double)g.fx[i] + g.G * sx);
    g.fy[i] = (float)(g.first ? g.G * sy : (double)g.fy[i] + g.G * sy);
    g.fz[i] = (float)(g.first ? g.G * sz : (double)g.fz[i] + g.G * sz);
  }
}

}  // namespace brokenrecord
