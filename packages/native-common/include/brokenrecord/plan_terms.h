// The kernel plan (core's compileKernelPlan) as C++ values: what every native executor (the SIMD
// addon, the CUDA device and host executors) reads from a system. Plain data; parsed from JS by
// plan_from_js.h, then arranged by each executor as it needs.
#ifndef BROKENRECORD_PLAN_TERMS_H
#define BROKENRECORD_PLAN_TERMS_H

#include <vector>
#include "contacts.h"
#include "physics.h"

namespace brokenrecord {

/** pairwiseGravity's `method` as the rule gives it; kAuto is resolved per step by uses_gravity_tree. */
enum class GravityMethod { kDirect, kTree, kAuto };

/** core's GRAVITY_TREE_MIN_COUNT: `method: 'auto'` uses the tree from this many particles up. */
constexpr long long kGravityTreeMinCount = 8192;

/** core's usesGravityTree: whether a backend that implements the tree uses it for `count` particles. */
inline bool uses_gravity_tree(GravityMethod method, long long count) {
  return method == GravityMethod::kTree || (method == GravityMethod::kAuto && count >= kGravityTreeMinCount);
}

struct PairwiseTerm {
  double G;
  float eps2;  // softening squared, rounded for the float kernels
  GravityMethod method = GravityMethod::kDirect;
  double theta = 0.5;  // opening angle (docs/physics.md "Gravity by tree")
};

/** A rule with a potential energy, in rule order, with its options exactly as given (double). */
struct PotentialRule {
  bool pairwise;         // pairwiseGravity; otherwise uniformGravity
  double g[3];           // uniformGravity
  double G, eps2;        // pairwiseGravity (eps2 = softening * softening in double)
  GravityMethod method;  // pairwiseGravity
  double theta;          // pairwiseGravity
};

struct PlanTerms {
  bool verlet = false;
  float dt = 0, half = 0;  // float(dt), float(dt / 2)
  float g[3] = {0, 0, 0};  // summed uniform gravity (rule order, in double, then rounded)
  float k = 0;             // summed drag coefficient
  std::vector<PairwiseTerm> pairwise;
  bool collisions = false;
  double bounce = 2;      // 1 + restitution
  bool contacts = false;  // soft-sphere contacts (brokenrecord/contacts.h)
  ContactLaw contact_law;
  bool walls = false;
  AxisWalls axis_walls[3] = {};  // float32 walls (docs/physics.md)
  /** The rules diagnostics take a potential from. */
  std::vector<PotentialRule> potentials;
};

}  // namespace brokenrecord

#endif
