// collisions (docs/physics.md): the narrow phase (per instruction set, collisions_{scalar,avx2,
// avx512}.cpp) finds the touching pairs in parallel; ContactSolver then orders them
// lexicographically and sweeps them with exact binary impulses on one thread, since the order of
// the impulses is the physics.
#ifndef BROKENRECORD_KERNELS_COLLISIONS_H
#define BROKENRECORD_KERNELS_COLLISIONS_H

#include <stddef.h>
#include <stdint.h>
#include <vector>
#include <brokenrecord/contact_pairs.h>
#include "../simd_plan.h"
#include "broadphase.h"
#include "kernel_table.h"

namespace brokenrecord {

/** Where pack_contacts writes: x/y/z/r columns indexed by grid slot. */
struct ContactBuffers {
  double *xs, *ys, *zs, *rs;
};

/**
 * Copies positions and radii into the buffers in the grid's cell order, slots [lo, hi): the
 * candidates of a row of cells are then contiguous, instead of scattered column reads.
 */
void pack_contacts(const Columns& c, const Grid& grid, const ContactBuffers& out, size_t lo, size_t hi);

class ContactSolver {
 public:
  /** Empties the per-chunk pair lists for a narrow phase of `chunks` chunks. */
  void prepare(size_t chunks);
  /** The sink of chunk k, for ContactView::emit. */
  void* sink(size_t k) { return &found_[k]; }
  /** ContactView::emit: appends (i, j) to the sink's list. */
  static void emit(void* sink, uint32_t i, uint32_t j);
  /**
   * Orders every chunk's pairs lexicographically, computes their constants from the positions
   * and masses, and sweeps (brokenrecord/contact_pairs.h). One thread. Returns whether the sweep
   * limit left the contacts unresolved.
   */
  bool resolve(const Columns& c, double bounce);
  void release();

 private:
  std::vector<std::vector<uint32_t>> found_;  // per chunk: i, j interleaved
  std::vector<uint32_t> first_, partner_;
  std::vector<ContactPair> pairs_;
};

}  // namespace brokenrecord

#endif
