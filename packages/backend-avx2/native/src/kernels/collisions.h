// collisions, Jacobi style (docs/physics.md): every impulse of a step is computed from the
// velocities as they were when the contact phase began; each particle sums its own, then all apply.
#ifndef BROKENRECORD_KERNELS_COLLISIONS_H
#define BROKENRECORD_KERNELS_COLLISIONS_H

#include <stddef.h>
#include "../step_plan.h"
#include "broadphase.h"
#include "kernel_table.h"

namespace brokenrecord {

/** One particle as the narrow phase reads it: a cache line, in cell order (see pack_contacts). */
struct ContactParticle {
  double x, y, z, u, v, w, r, m;
};

/** Where pack_contacts writes: records plus x/y/z/r columns, all indexed by grid slot. */
struct ContactBuffers {
  ContactParticle* packed;
  double *xs, *ys, *zs, *rs;
};

/**
 * Copies particles into the buffers in the grid's cell order, slots [lo, hi). Neighbours in one
 * row of cells are then contiguous, instead of eight scattered column reads per candidate.
 */
void pack_contacts(const Columns& c, const Grid& grid, const ContactBuffers& out, size_t lo, size_t hi);

/** v = float(v + dv) for particles [lo, hi). */
void apply_impulses(const Columns& c, const double* dvx, const double* dvy, const double* dvz, size_t lo,
                    size_t hi);

}  // namespace brokenrecord

#endif
