// collisions, Jacobi style (docs/physics.md): every impulse of a step is computed from the
// velocities as they were when the contact phase began; each particle sums its own, then all apply.
#ifndef BROKENRECORD_KERNELS_COLLISIONS_H
#define BROKENRECORD_KERNELS_COLLISIONS_H

#include <stddef.h>
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

/** v = float(v + dv) for particles [lo, hi). */
void apply_impulses(const Columns& c, const double* dvx, const double* dvy, const double* dvz, size_t lo, size_t hi);

}  // namespace brokenrecord

#endif
