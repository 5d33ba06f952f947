// collisions, Jacobi style (docs/physics.md): every impulse of a step is computed from the
// velocities as they were when the contact phase began; each particle sums its own, then all apply.
#ifndef BROKENRECORD_KERNELS_COLLISIONS_H
#define BROKENRECORD_KERNELS_COLLISIONS_H

#include <stddef.h>
#include "../step_plan.h"
#include "broadphase.h"

namespace brokenrecord {

/** One particle as the narrow phase reads it: a cache line, in cell order (see pack_contacts). */
struct ContactParticle {
  double x, y, z, u, v, w, r, m;
};

/**
 * Copies particles into `packed` in the grid's cell order, slots [lo, hi). Neighbours in one row
 * of cells are then contiguous, instead of eight scattered column reads per candidate.
 */
void pack_contacts(const Columns& c, const Grid& grid, ContactParticle* packed, size_t lo, size_t hi);

/**
 * Velocity changes, in double, of the particles in grid slots [lo, hi) (walked in cell order, so
 * consecutive particles share their neighbours), written at the particles' own indices.
 */
void collision_impulses(const ContactParticle* packed, const Grid& grid, double bounce, double* dvx,
                        double* dvy, double* dvz, size_t lo, size_t hi);

/** v = float(v + dv) for particles [lo, hi). */
void apply_impulses(const Columns& c, const double* dvx, const double* dvy, const double* dvz, size_t lo,
                    size_t hi);

}  // namespace brokenrecord

#endif
