// The pairs a cutoff term visits: the cell grid of the generated C++ (emit-cpp.ts, for_grid_pairs)
// rebuilt here step for step (the same binning, cell order and periodic shifts); the neighbour
// list (neighbour_list.h) is built through it with the reach widened by the skin. Cells are at
// least `reach` wide (27 neighbour cells); a periodic box shifts a wrapped neighbour cell by the
// box length; a periodic box under three cells on an axis falls back to every pair with the
// nearest image.
#ifndef BROKENRECORD_INTERP_PAIR_GRID_H
#define BROKENRECORD_INTERP_PAIR_GRID_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include <vector>

#include "brokenrecord/generated_abi.h"

namespace brokenrecord {
namespace interp {

class PairGrid {
 public:
  /** Bins the particles; returns 0, or GEN_ERROR_MEMORY (-2) when the grid cannot be allocated. */
  int build(const br_gen_input& in, double reach, bool periodic, const double length[3], const double lo[3]);

  /**
   * Calls f(j, dx, dy, dz, r2, image) for every j != i with r2 < reach², d = x_j − x_i: `image` is
   * the periodic shift of j's cell, (sx+1) + 3(sy+1) + 9(sz+1) with s = −1, 0, 1 boxes per axis
   * (kNoShift without), or kNearestImage when d is the nearest image (a box under three cells).
   */
  template <class F>
  void visit(const br_gen_input& in, uint32_t i, F&& f) const {
    const float* P[3] = {in.px, in.py, in.pz};
    const uint32_t n = in.count;
    if (every_pair_) {
      for (uint32_t j = 0; j < n; j++) {
        if (j == i) continue;
        double d[3];
        for (int k = 0; k < 3; k++) {
          d[k] = (double)P[k][j] - (double)P[k][i];
          d[k] -= L_[k] * round(d[k] / L_[k]);
        }
        const double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
        if (r2 < reach2_) f(j, d[0], d[1], d[2], r2, kNearestImage);
      }
      return;
    }
    const long c = (long)of_[i];
    const long cx = c % nc_[0], cy = (c / nc_[0]) % nc_[1], cz = c / (nc_[0] * nc_[1]);
    for (long oz = -1; oz <= 1; oz++)
      for (long oy = -1; oy <= 1; oy++)
        for (long ox = -1; ox <= 1; ox++) {
          long g[3] = {cx + ox, cy + oy, cz + oz};
          double sh[3] = {0.0, 0.0, 0.0};
          int side[3] = {0, 0, 0};
          bool outside = false;
          for (int a = 0; a < 3; a++) {
            if (g[a] < 0) {
              if (!periodic_) outside = true;
              g[a] += nc_[a];
              sh[a] = -L_[a];
              side[a] = -1;
            } else if (g[a] >= nc_[a]) {
              if (!periodic_) outside = true;
              g[a] -= nc_[a];
              sh[a] = L_[a];
              side[a] = 1;
            }
          }
          const int image = (side[0] + 1) + 3 * (side[1] + 1) + 9 * (side[2] + 1);
          if (outside) continue;
          const size_t nb = (size_t)(g[0] + nc_[0] * (g[1] + nc_[1] * g[2]));
          for (uint32_t s = start_[nb]; s < start_[nb + 1]; s++) {
            const uint32_t j = order_[s];
            if (j == i) continue;
            const double dx = (double)in.px[j] + sh[0] - (double)in.px[i];
            const double dy = (double)in.py[j] + sh[1] - (double)in.py[i];
            const double dz = (double)in.pz[j] + sh[2] - (double)in.pz[i];
            const double r2 = dx * dx + dy * dy + dz * dz;
            if (r2 < reach2_) f(j, dx, dy, dz, r2, image);
          }
        }
  }

  static constexpr int kNoShift = 13;
  static constexpr int kNearestImage = -1;
  bool periodic() const { return periodic_; }
  const double* length() const { return L_; }

 private:
  bool periodic_ = false, every_pair_ = false;
  double L_[3] = {0, 0, 0}, reach2_ = 0;
  long nc_[3] = {1, 1, 1};
  std::vector<uint32_t> start_, order_, of_, fill_;
};

}  // namespace interp
}  // namespace brokenrecord

#endif
