#include "neighbour_list.h"

#include <exception>

namespace brokenrecord {
namespace interp {

void NeighbourList::track_wraps(const br_gen_input& in) {
  if (L_[0] <= 0) return;
  const float* P[3] = {in.px, in.py, in.pz};
  const float* P0[3] = {x0_.data(), y0_.data(), z0_.data()};
  std::vector<double>* W[3] = {&wx_, &wy_, &wz_};
  bool any = false;
  for (int a = 0; a < 3; a++) {
    double* w = W[a]->data();
    for (uint32_t i = 0; i < in.count; i++) {
      w[i] = L_[a] * round(((double)P0[a][i] - (double)P[a][i]) / L_[a]);
      any = any || w[i] != 0.0;
    }
  }
  wrapped_ = any;
}

bool NeighbourList::stale(const br_gen_input& in, double skin) const {
  if (!valid_ || x0_.size() != in.count) return true;
  const double limit2 = 0.25 * skin * skin;
  for (uint32_t i = 0; i < in.count; i++) {
    double dx = (double)in.px[i] - (double)x0_[i], dy = (double)in.py[i] - (double)y0_[i],
           dz = (double)in.pz[i] - (double)z0_[i];
    if (L_[0] > 0) {  // periodic: a wrap is no motion
      dx -= L_[0] * round(dx / L_[0]);
      dy -= L_[1] * round(dy / L_[1]);
      dz -= L_[2] * round(dz / L_[2]);
    }
    // Also true for a NaN position: the list is rebuilt, never trusted, around one.
    if (!(dx * dx + dy * dy + dz * dz <= limit2)) return true;
  }
  return false;
}

int NeighbourList::update(const br_gen_input& in, double reach, double skin, bool periodic, const double length[3],
                          const double lo[3], int threads) {
  reach2_ = reach * reach;
  if (valid_ && (built_reach_ != reach || built_skin_ != skin)) valid_ = false;
  if (!stale(in, skin)) {
    track_wraps(in);
    return 0;
  }
  wrapped_ = false;
  valid_ = false;
  const uint32_t n = in.count;
  const int rc = grid_.build(in, reach + skin, periodic, length, lo);
  if (rc != 0) return rc;
  for (int a = 0; a < 3; a++) L_[a] = periodic ? length[a] : 0.0;
  for (int code = 0; code < 27; code++) {
    const int side[3] = {code % 3 - 1, (code / 3) % 3 - 1, code / 9 - 1};
    for (int a = 0; a < 3; a++) shift_[code][a] = side[a] < 0 ? -L_[a] : side[a] > 0 ? L_[a] : 0.0;
  }
  try {
    start_.assign((size_t)n + 1, 0);
    x0_.assign(in.px, in.px + n);
    y0_.assign(in.py, in.py + n);
    z0_.assign(in.pz, in.pz + n);
    wx_.assign(n, 0.0);
    wy_.assign(n, 0.0);
    wz_.assign(n, 0.0);
  } catch (const std::exception&) {
    return -2;
  }
  const int team = threads < 1 ? 1 : threads;
  // Two passes over the grid: count each particle's neighbours, then fill them in place.
#pragma omp parallel for schedule(dynamic, 64) num_threads(team)
  for (long ii = 0; ii < (long)n; ii++) {
    uint32_t count = 0;
    grid_.visit(in, (uint32_t)ii, [&](uint32_t, double, double, double, double, int) { count++; });
    start_[ii + 1] = count;
  }
  for (uint32_t i = 0; i < n; i++) start_[i + 1] += start_[i];
  try {
    j_.resize(start_[n]);
    image_.resize(start_[n]);
  } catch (const std::exception&) {
    return -2;
  }
#pragma omp parallel for schedule(dynamic, 64) num_threads(team)
  for (long ii = 0; ii < (long)n; ii++) {
    uint32_t e = start_[ii];
    grid_.visit(in, (uint32_t)ii, [&](uint32_t j, double, double, double, double, int image) {
      j_[e] = j;
      image_[e] = (int8_t)image;
      e++;
    });
  }
  valid_ = true;
  built_reach_ = reach;
  built_skin_ = skin;
  builds_++;
  return 0;
}

}  // namespace interp
}  // namespace brokenrecord
