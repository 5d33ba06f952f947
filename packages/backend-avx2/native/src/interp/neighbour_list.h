// The pairs of a cutoff term kept across evaluations, as the generated code and LAMMPS keep
// them: every j within reach + skin of i (found through the PairGrid, in its order, with the
// periodic image it was found in), rebuilt when the particle count changes or any particle has
// moved more than skin/2 since the last build (a periodic wrap moves one by a box length). In
// between (displacements measured through the periodic wrap, whose box lengths are added back
// to a wrapped particle's images), every pair within reach is in the list, so visiting it and testing r² < reach²
// finds exactly the pairs the grid finds, at a fraction of the distance tests.
#ifndef BROKENRECORD_INTERP_NEIGHBOUR_LIST_H
#define BROKENRECORD_INTERP_NEIGHBOUR_LIST_H

#include <math.h>
#include <stdint.h>

#include <vector>

#include "pair_grid.h"

namespace brokenrecord {
namespace interp {

class NeighbourList {
 public:
  /** Makes the list current for `in`; returns 0, or GEN_ERROR_MEMORY (-2). */
  int update(const br_gen_input& in, double reach, double skin, bool periodic, const double length[3],
             const double lo[3], int threads);

  /** Calls f(j, dx, dy, dz, r2) for every listed j with r2 < reach², in the order the grid found them. */
  template <class F>
  void visit(const br_gen_input& in, uint32_t i, F&& f) const {
    const double xi = (double)in.px[i], yi = (double)in.py[i], zi = (double)in.pz[i];
    for (uint32_t e = start_[i]; e < start_[i + 1]; e++) {
      const uint32_t j = j_[e];
      const int image = image_[e];
      double dx, dy, dz;
      if (image == PairGrid::kNearestImage) {
        double d[3] = {(double)in.px[j] - xi, (double)in.py[j] - yi, (double)in.pz[j] - zi};
        for (int k = 0; k < 3; k++) d[k] -= L_[k] * round(d[k] / L_[k]);
        dx = d[0];
        dy = d[1];
        dz = d[2];
      } else if (!wrapped_) {
        const double* sh = shift_[image];
        dx = (double)in.px[j] + sh[0] - xi;
        dy = (double)in.py[j] + sh[1] - yi;
        dz = (double)in.pz[j] + sh[2] - zi;
      } else {
        // Some particle was wrapped into the box since the build: add back the box lengths it was moved by.
        const double* sh = shift_[image];
        dx = (double)in.px[j] + (sh[0] + (wx_[j] - wx_[i])) - xi;
        dy = (double)in.py[j] + (sh[1] + (wy_[j] - wy_[i])) - yi;
        dz = (double)in.pz[j] + (sh[2] + (wz_[j] - wz_[i])) - zi;
      }
      const double r2 = dx * dx + dy * dy + dz * dz;
      if (r2 < reach2_) f(j, dx, dy, dz, r2);
    }
  }

  /** Builds so far (tests and the bench read it). */
  uint64_t builds() const { return builds_; }

 private:
  bool stale(const br_gen_input& in, double skin) const;
  void track_wraps(const br_gen_input& in);

  PairGrid grid_;
  double reach2_ = 0, L_[3] = {0, 0, 0};
  double shift_[27][3];
  std::vector<uint32_t> start_, j_;
  std::vector<int8_t> image_;
  std::vector<float> x0_, y0_, z0_;
  // Per particle, the box lengths the periodic wrap took off its position since the build
  // (L·round((x0 − x)/L) per axis; all 0 while wrapped_ is false).
  std::vector<double> wx_, wy_, wz_;
  bool wrapped_ = false;
  bool valid_ = false;
  double built_reach_ = 0, built_skin_ = 0;
  uint64_t builds_ = 0;
};

}  // namespace interp
}  // namespace brokenrecord

#endif
