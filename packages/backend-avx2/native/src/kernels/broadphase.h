// Uniform-grid broadphase: particles counting-sorted by cell, candidates from the 3x3x3 cells
// around a particle. Cells are at least 2*r_max wide, so every pair the brute-force contact test
// accepts lies in neighbouring cells and the grid yields exactly the brute-force pair set. The
// construction follows the TypeScript reference step for step (same box, same cell size, same
// order within cells), so both visit a particle's contacts in the same order.
#ifndef BROKENRECORD_KERNELS_BROADPHASE_H
#define BROKENRECORD_KERNELS_BROADPHASE_H

#include <stddef.h>
#include <stdint.h>
#include <vector>

namespace brokenrecord {

class Grid {
 public:
  /**
   * Sorts particles 0..n-1 into cells; false (no contacts possible) when n < 2 or every radius is
   * 0. Called by every thread of an OpenMP team (or by one thread outside any parallel region):
   * the bounding box and the cells of the particles are computed in parallel, the counting sort
   * by one thread.
   */
  bool build(const float* px, const float* py, const float* pz, const float* radius, size_t n);
  bool has_contacts() const { return cells_ > 0; }
  /**
   * [from, to) slices of order() covering the 3x3x3 cells around particle i's cell; returns how
   * many (<= 9). Each row of three cells is contiguous in order().
   */
  int neighbour_ranges(size_t i, int32_t ranges[18]) const;
  /** Particle indices sorted by cell, ascending within a cell. */
  const int32_t* order() const { return order_.data(); }
  /** The cell of each particle (valid after build). */
  const int32_t* cells() const { return cell_of_.data(); }
  /** Frees the storage (dispose). */
  void release();

 private:
  struct CellCoords {
    int32_t x, y, z;
  };
  /** The cell of (x, y, z), and its coordinates. */
  int64_t cell_index(double x, double y, double z, CellCoords& coords) const;

  /** Sets the box, cell size and dims from the bounding box; cells_ = 0 when no contact is possible. */
  void choose_cells(double r_max, const double lo[3], const double hi[3], size_t n);

  std::vector<double> partial_;  // per thread: r_max, min[3], max[3]
  double min_[3] = {0, 0, 0};
  double inv_h_ = 0;
  int64_t nx_ = 0, ny_ = 0, nz_ = 0, cells_ = 0;
  std::vector<int32_t> cell_start_, order_, cell_of_;
  std::vector<CellCoords> coords_;  // per particle: its cell's coordinates (no divisions later)
};

}  // namespace brokenrecord

#endif
