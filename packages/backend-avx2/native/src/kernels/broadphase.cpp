#include "broadphase.h"

#include <math.h>
#include <algorithm>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace brokenrecord {

// The cell is widened by this relative margin over 2*r_max: cell coordinates are computed in
// double with rounding errors far below 2^-16 of a cell, so two particles closer than 2*r_max are
// never two cells apart whatever the rounding.
static const double kCellMargin = 1.0 + 1.0 / 65536.0;

bool Grid::build(const float* px, const float* py, const float* pz, const float* radius, size_t n) {
#ifdef _OPENMP
  const int thread = omp_get_thread_num(), threads = omp_get_num_threads();
#else
  const int thread = 0, threads = 1;
#endif
#ifdef _OPENMP
#pragma omp single
#endif
  partial_.assign((size_t)threads * 7, 0.0);  // implicit barrier
  double r_max = 0, lo[3] = {INFINITY, INFINITY, INFINITY}, hi[3] = {-INFINITY, -INFINITY, -INFINITY};
#ifdef _OPENMP
#pragma omp for schedule(static) nowait
#endif
  for (long long ii = 0; ii < (long long)n; ii++) {
    const size_t i = (size_t)ii;
    if (radius[i] > r_max) r_max = radius[i];
    const double p[3] = {px[i], py[i], pz[i]};
    for (int k = 0; k < 3; k++) {
      if (p[k] < lo[k]) lo[k] = p[k];
      if (p[k] > hi[k]) hi[k] = p[k];
    }
  }
  double* mine = partial_.data() + (size_t)thread * 7;
  mine[0] = r_max;
  for (int k = 0; k < 3; k++) {
    mine[1 + k] = lo[k];
    mine[4 + k] = hi[k];
  }
#ifdef _OPENMP
#pragma omp barrier
#pragma omp single
#endif
  {
    // min and max are exact, so combining the threads' boxes in any order gives the same box.
    double all_r = 0, all_lo[3] = {INFINITY, INFINITY, INFINITY}, all_hi[3] = {-INFINITY, -INFINITY, -INFINITY};
    for (int t = 0; t < threads; t++) {
      const double* q = partial_.data() + (size_t)t * 7;
      if (q[0] > all_r) all_r = q[0];
      for (int k = 0; k < 3; k++) {
        if (q[1 + k] < all_lo[k]) all_lo[k] = q[1 + k];
        if (q[4 + k] > all_hi[k]) all_hi[k] = q[4 + k];
      }
    }
    choose_cells(all_r, all_lo, all_hi, n);
  }  // implicit barrier: every thread sees cells_
  if (cells_ == 0) return false;
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
  for (long long ii = 0; ii < (long long)n; ii++) {
    const size_t i = (size_t)ii;
    cell_of_[i] = (int32_t)cell_index(px[i], py[i], pz[i], coords_[i]);
  }
#ifdef _OPENMP
#pragma omp single
#endif
  {
    // Counting sort by cell, scattering in ascending particle order so each cell lists its
    // particles sorted (a deterministic neighbour order).
    std::fill(cell_start_.begin(), cell_start_.begin() + cells_ + 1, 0);
    for (size_t i = 0; i < n; i++) cell_start_[cell_of_[i] + 1]++;
    for (int64_t c = 0; c < cells_; c++) cell_start_[c + 1] += cell_start_[c];
    for (size_t i = 0; i < n; i++) order_[cell_start_[cell_of_[i]]++] = (int32_t)i;
    for (int64_t c = cells_; c > 0; c--) cell_start_[c] = cell_start_[c - 1];
    cell_start_[0] = 0;
  }  // implicit barrier
  return true;
}

void Grid::choose_cells(double r_max, const double lo[3], const double hi[3], size_t n) {
  cells_ = 0;
  if (n < 2 || r_max == 0) return;
  // Non-finite positions only exist in a diverging run (core rolls it back): no contacts then,
  // rather than a grid of infinitely many cells.
  for (int k = 0; k < 3; k++) {
    if (!isfinite(hi[k] - lo[k])) return;
  }
  // Huge, sparse boxes get coarser cells instead of more of them: still >= 2*r_max, same pairs.
  const double cap = 2.0 * (double)n + 8.0;
  double h = 2.0 * r_max * kCellMargin, inv_h = 0, dims[3] = {1, 1, 1};
  for (;;) {
    inv_h = 1.0 / h;
    for (int k = 0; k < 3; k++) dims[k] = floor((hi[k] - lo[k]) * inv_h) + 1.0;
    const double total = dims[0] * dims[1] * dims[2];
    if (total <= cap) break;
    h *= std::max(1.25, cbrt(total / cap));
  }
  for (int k = 0; k < 3; k++) min_[k] = lo[k];
  inv_h_ = inv_h;
  nx_ = (int64_t)dims[0];
  ny_ = (int64_t)dims[1];
  nz_ = (int64_t)dims[2];
  if (cell_start_.size() < (size_t)(nx_ * ny_ * nz_) + 1) cell_start_.resize((size_t)(nx_ * ny_ * nz_) + 1);
  if (order_.size() < n) {
    order_.resize(n);
    cell_of_.resize(n);
    coords_.resize(n);
  }
  cells_ = nx_ * ny_ * nz_;
}

/**
 * floor((x - min) / h) per axis, as the reference computes it. x >= min for every particle the grid
 * was built from, so truncation equals floor; the clamp only guards against a NaN position.
 */
int64_t Grid::cell_index(double x, double y, double z, CellCoords& coords) const {
  const double f[3] = {(x - min_[0]) * inv_h_, (y - min_[1]) * inv_h_, (z - min_[2]) * inv_h_};
  const int64_t dims[3] = {nx_, ny_, nz_};
  int64_t c[3];
  for (int k = 0; k < 3; k++) {
    c[k] = f[k] >= 0 ? (int64_t)f[k] : 0;
    if (c[k] >= dims[k]) c[k] = dims[k] - 1;
  }
  coords = CellCoords{(int32_t)c[0], (int32_t)c[1], (int32_t)c[2]};
  return c[0] + nx_ * (c[1] + ny_ * c[2]);
}

int Grid::neighbour_ranges(size_t i, int32_t ranges[18]) const {
  const int64_t cx = coords_[i].x, cy = coords_[i].y, cz = coords_[i].z;
  const int64_t x0 = cx > 0 ? cx - 1 : 0, x1 = cx + 1 < nx_ ? cx + 1 : nx_ - 1;
  const int64_t y0 = cy > 0 ? cy - 1 : 0, y1 = cy + 1 < ny_ ? cy + 1 : ny_ - 1;
  const int64_t z0 = cz > 0 ? cz - 1 : 0, z1 = cz + 1 < nz_ ? cz + 1 : nz_ - 1;
  int count = 0;
  for (int64_t gz = z0; gz <= z1; gz++) {
    for (int64_t gy = y0; gy <= y1; gy++) {
      const int64_t row = nx_ * (gy + ny_ * gz);
      const int32_t from = cell_start_[row + x0], to = cell_start_[row + x1 + 1];
      if (from < to) {
        ranges[count++] = from;
        ranges[count++] = to;
      }
    }
  }
  return count >> 1;
}

void Grid::release() {
  std::vector<int32_t>().swap(cell_start_);
  std::vector<int32_t>().swap(order_);
  std::vector<int32_t>().swap(cell_of_);
  std::vector<CellCoords>().swap(coords_);
  cells_ = 0;
}

}  // namespace brokenrecord
