// A system compiled into what the kernels need. MotionPlan is plain data passed by value to every
// per-particle kernel (host loops and CUDA kernels alike); the rest is read by the executors.
#ifndef BROKENRECORD_CUDA_PLAN_H
#define BROKENRECORD_CUDA_PLAN_H

#include <vector>
#include <brokenrecord/plan_terms.h>  // PairwiseTerm, PotentialRule, shared with the SIMD addon
#include "../generated/generated_plan.h"

namespace brokenrecord {

/** The per-particle rules: uniform gravity, drag, bounds, and the integrator's step lengths. */
struct MotionPlan {
  bool verlet = false;
  float dt = 0, half = 0;                  // float(dt), float(dt / 2)
  float g[3] = {0, 0, 0};                  // summed uniform gravity
  float k = 0;                             // summed drag coefficient
  bool active[3] = {false, false, false};  // some force acts along the axis (else the kick is skipped)
  bool walls = false;
  AxisWalls axis_walls[3] = {};
};

struct CudaPlan {
  MotionPlan motion;
  std::vector<PairwiseTerm> pairwise;
  bool collisions = false;
  double bounce = 2;      // 1 + restitution
  bool contacts = false;  // soft-sphere contacts (physics/soft_contacts.h)
  ContactLaw contact_law;
  std::vector<PotentialRule> potentials;
  /** The system's rules written as expressions, as generated code (absent for presets only). */
  GeneratedPlan generated;

  /** No rule couples particles: each runs through all steps on its own (step fusion). */
  bool per_particle() const { return pairwise.empty() && !collisions && !contacts && !generated.present; }
};

}  // namespace brokenrecord

#endif
