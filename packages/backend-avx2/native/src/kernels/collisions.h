// collisions, Jacobi style (docs/physics.md): every impulse of a step is computed from the
// velocities as they were when the contact phase began; each particle sums its own, then all apply.
#ifndef BROKENRECORD_KERNELS_COLLISIONS_H
#define BROKENRECORD_KERNELS_COLLISIONS_H

#include <stddef.h>
#include "../step_plan.h"
#include "broadphase.h"

namespace brokenrecord {

/** Velocity changes of particles [lo, hi) from every contact, in double (nothing applied yet). */
void collision_impulses(const Columns& c, const Grid& grid, double bounce, double* dvx, double* dvy,
                        double* dvz, size_t lo, size_t hi);

/** v = float(v + dv) for particles [lo, hi). */
void apply_impulses(const Columns& c, const double* dvx, const double* dvy, const double* dvz, size_t lo,
                    size_t hi);

}  // namespace brokenrecord

#endif
