#include "pair_grid.h"

#include <exception>

namespace brokenrecord {
namespace interp {

namespace {

/** floor((x − lo)/cell) clamped to [0, nc): as the generated code bins, without a cast of a value outside long's range.
 */
long cell_of(double x, double lo, double cell, long nc) {
  const double f = floor((x - lo) / cell);
  if (!(f >= 0.0)) return 0;  // also NaN
  if (f >= (double)nc) return nc - 1;
  return (long)f;
}

}  // namespace

int PairGrid::build(const br_gen_input& in, double reach, bool periodic, const double length[3],
                    const double lo_box[3]) {
  const uint32_t n = in.count;
  periodic_ = periodic;
  every_pair_ = false;
  reach2_ = reach * reach;
  if (n == 0) return 0;
  const float* P[3] = {in.px, in.py, in.pz};
  double lo[3], cell[3];
  for (int a = 0; a < 3; a++) {
    L_[a] = periodic ? length[a] : 0.0;
    lo[a] = periodic ? lo_box[a] : 0.0;
  }
  for (int a = 0; a < 3; a++) {
    if (periodic) {
      const double cells = floor(L_[a] / reach);
      // More than 2^20 cells an axis is more cells than memory (the generated code's allocation fails there too).
      if (!(cells < 1048576.0)) return -2;
      nc_[a] = (long)cells;
      if (nc_[a] < 3) {
        every_pair_ = true;
        return 0;
      }
      cell[a] = L_[a] / (double)nc_[a];
    } else {
      double mn = (double)P[a][0], mx = mn;
      for (uint32_t i = 1; i < n; i++) {
        const double x = (double)P[a][i];
        mn = x < mn ? x : mn;
        mx = x > mx ? x : mx;
      }
      lo[a] = mn;
      cell[a] = reach;
      const double span = (mx - mn) / reach;
      nc_[a] = span < 128.0 ? (long)span + 1 : 128;
      if (nc_[a] == 128) cell[a] = (mx - mn) / 127.0;
    }
  }
  const size_t cells = (size_t)nc_[0] * (size_t)nc_[1] * (size_t)nc_[2];
  try {
    start_.assign(cells + 1, 0);
    order_.resize(n);
    of_.resize(n);
  } catch (const std::exception&) {  // bad_alloc, or length_error for a count beyond max_size
    return -2;
  }
  for (uint32_t i = 0; i < n; i++) {
    long g[3];
    for (int a = 0; a < 3; a++) g[a] = cell_of((double)P[a][i], lo[a], cell[a], nc_[a]);
    of_[i] = (uint32_t)(g[0] + nc_[0] * (g[1] + nc_[1] * g[2]));
    start_[of_[i] + 1]++;
  }
  for (size_t c = 0; c < cells; c++) start_[c + 1] += start_[c];
  try {
    fill_.assign(start_.begin(), start_.end() - 1);
  } catch (const std::bad_alloc&) {
    return -2;
  }
  for (uint32_t i = 0; i < n; i++) order_[fill_[of_[i]]++] = i;
  return 0;
}

}  // namespace interp
}  // namespace brokenrecord
