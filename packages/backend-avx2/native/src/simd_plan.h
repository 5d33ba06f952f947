// A system compiled into what the kernels need (built from the JS plan in native_context.cpp),
// and the state's columns as raw pointers into the caller's Float32Arrays (zero copy).
#ifndef BROKENRECORD_SIMD_PLAN_H
#define BROKENRECORD_SIMD_PLAN_H

#include <stddef.h>
#include <vector>
#include <brokenrecord/plan_terms.h>

namespace brokenrecord {

/** The plan terms, plus what the kernels derive from them. */
struct SimdPlan : PlanTerms {
  /** The system has expression terms (GeneratedTerms, run outside the kernel table). */
  bool generated = false;
  /** periodic: the box's float32 origin and length per axis (core's PeriodicBox), wrapped after the drift. */
  bool periodic = false;
  double periodic_min[3] = {0, 0, 0}, periodic_length[3] = {0, 0, 0};
  /** No rule couples particles: each can be advanced alone through all steps (step fusion). */
  bool per_particle() const { return pairwise.empty() && !collisions && !contacts && !generated && !periodic; }
  /** Some force acts along `axis`; on other axes the kick is skipped (v stays exactly as it is). */
  bool axis_active(int axis) const {
    return g[axis] != 0.0f || k != 0.0f || !pairwise.empty() || contacts || generated;
  }
};

struct Columns {
  float *px = nullptr, *py = nullptr, *pz = nullptr;
  float *vx = nullptr, *vy = nullptr, *vz = nullptr;
  float *mass = nullptr, *radius = nullptr;
  size_t n = 0;
  float* position(int axis) const { return axis == 0 ? px : axis == 1 ? py : pz; }
  float* velocity(int axis) const { return axis == 0 ? vx : axis == 1 ? vy : vz; }
};

}  // namespace brokenrecord

#endif
