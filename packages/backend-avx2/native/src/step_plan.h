// A system compiled into what the kernels need (built from the JS plan in native_context.cpp),
// and the state's columns as raw pointers into the caller's Float32Arrays (zero copy).
#ifndef BROKENRECORD_STEP_PLAN_H
#define BROKENRECORD_STEP_PLAN_H

#include <stddef.h>
#include <vector>
#include <brokenrecord/physics.h>

namespace brokenrecord {

struct PairwiseTerm {
  double G;
  float eps2;   // softening squared, rounded for the float kernels
};

/** A rule with a potential energy, in rule order, with its options exactly as given (double). */
struct PotentialRule {
  bool pairwise;       // pairwiseGravity; otherwise uniformGravity
  double g[3];         // uniformGravity
  double G, eps2;      // pairwiseGravity (eps2 = softening * softening in double)
};

struct StepPlan {
  bool verlet = false;
  float dt = 0, half = 0;          // float(dt), float(dt)/2
  float g[3] = {0, 0, 0};          // summed uniform gravity (rule order, in double, then rounded)
  float k = 0;                     // summed drag coefficient
  std::vector<PairwiseTerm> pairwise;
  bool collisions = false;
  double bounce = 2;               // 1 + restitution
  bool walls = false;
  AxisWalls axis_walls[3] = {};
  /** The rules diagnostics take a potential from. */
  std::vector<PotentialRule> potential_rules;

  /** No rule couples particles: each can be advanced alone through all steps (step fusion). */
  bool per_particle() const { return pairwise.empty() && !collisions; }
  /** Some force acts along `axis`; on other axes the kick is skipped (v stays exactly as it is). */
  bool axis_active(int axis) const { return g[axis] != 0.0f || k != 0.0f || !pairwise.empty(); }
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
