// The per-particle part of a step (docs/physics.md), in the order the AVX2 backend evaluates it,
// built from the shared physics.h expressions. __host__ __device__: the CUDA kernels and the host
// executor call these very functions.
#ifndef BROKENRECORD_CUDA_MOTION_H
#define BROKENRECORD_CUDA_MOTION_H

#include <brokenrecord/physics.h>
#include "cuda_plan.h"

namespace brokenrecord {

/**
 * v += a*h on every axis with a force, a = (g - k*v) + f; `f` is the pairwise gravity of this
 * particle or null. Axes without a force keep v bit for bit (no kick, as the other backends).
 */
BR_INLINE void kick_particle(const MotionPlan& p, float (&v)[3], const float* f, float h) {
  for (int k = 0; k < 3; k++) {
    if (!p.active[k]) continue;
    float a = p.k != 0.0f ? local_acceleration(p.g[k], p.k, v[k]) : p.g[k];
    if (f) a = a + f[k];
    v[k] = kick(v[k], a, h);
  }
}

/**
 * Contacts with the walls, the drift x += v*dt, then the clamp into the box. The float32 walls
 * lo = f32(min + r), hi = f32(max - r) serve both the contact test and the clamp (docs/physics.md).
 */
BR_INLINE void walls_and_drift(const MotionPlan& p, float (&x)[3], float (&v)[3], float r) {
  for (int k = 0; k < 3; k++) {
    if (!p.walls) {
      x[k] = drift(x[k], v[k], p.dt);
      continue;
    }
    const float lo = br_narrow_add(p.axis_walls[k].min, r), hi = br_narrow_sub(p.axis_walls[k].max, r);
    v[k] = reflect_at_walls(x[k], lo, hi, v[k], p.axis_walls[k], 0.0f);
    x[k] = clamp_to_walls(drift(x[k], v[k], p.dt), lo, hi);
  }
}

/**
 * Step fusion: a particle of a system without pairwise rules goes through all `steps` with its
 * state in registers, so a run costs one read and one write of the state however many steps.
 */
BR_INLINE void advance_alone(const MotionPlan& p, float (&x)[3], float (&v)[3], float r, int steps) {
  for (int s = 0; s < steps; s++) {
    kick_particle(p, v, nullptr, p.verlet ? p.half : p.dt);
    walls_and_drift(p, x, v, r);
    if (p.verlet) kick_particle(p, v, nullptr, p.half);
  }
}

}  // namespace brokenrecord

#endif
