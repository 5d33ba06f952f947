// The kick of a system with generated terms (src/codegen/emit-cuda.ts): their accelerations are
// double, so a = (g - k*v) + f + terms is summed in double and v += a*h rounded once to float, as
// backend-ts does with its float64 accelerations. __host__ __device__: the host executor and the
// device kick kernel call this very function.
#ifndef BROKENRECORD_CUDA_GENERATED_KICK_H
#define BROKENRECORD_CUDA_GENERATED_KICK_H

#include <brokenrecord/physics.h>
#include "cuda_plan.h"

namespace brokenrecord {

/** Axis k of particle velocity v: `f` is its pairwise gravity (when `with_f`), `a` the terms' acceleration. */
BR_INLINE float kick_with_terms(const MotionPlan& p, int k, float v, bool with_f, float f, double a, float h) {
  float local = p.k != 0.0f ? local_acceleration(p.g[k], p.k, v) : p.g[k];
  if (with_f) local = local + f;
  return (float)((double)v + ((double)local + a) * (double)h);
}

}  // namespace brokenrecord

#endif
