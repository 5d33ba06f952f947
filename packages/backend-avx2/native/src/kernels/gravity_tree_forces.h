// pairwiseGravity on the Barnes-Hut tree in the SIMD addon (docs/physics.md, "Gravity by tree"):
// the tree is built once per force evaluation (brokenrecord/gravity_tree_build.h) and walked per
// term by the kernel table's gravity_tree (SIMD groups of particles).
#ifndef BROKENRECORD_KERNELS_GRAVITY_TREE_FORCES_H
#define BROKENRECORD_KERNELS_GRAVITY_TREE_FORCES_H

#include <stddef.h>
#include <vector>
#include <brokenrecord/gravity_tree_build.h>
#include <brokenrecord/plan_terms.h>
#include "../simd_plan.h"
#include "kernel_table.h"

namespace brokenrecord {

/** Whether some pairwise term runs on the tree for n particles (core's usesGravityTree). */
bool any_gravity_tree(const std::vector<PairwiseTerm>& terms, size_t n);

class GravityTreeForces {
 public:
  /**
   * Every pairwise term of the current positions into (fx, fy, fz), in rule order: the first
   * overwrites, later ones add (as the direct sum does); tree terms by walk, others all pairs.
   * Called by every thread of a team of `threads` (`self` its rank); ends with a barrier.
   */
  void forces(const Columns& c, const std::vector<PairwiseTerm>& terms, const KernelTable& kernels, float* fx,
              float* fy, float* fz, int threads, int self);
  void release();

 private:
  GravityTreeBuilder tree_;
  std::vector<float> sorted_[3];  // walk accelerations by sorted position
};

/** U = G/2 sum_i m_i phi_i of one pairwiseGravity rule on its own tree, with `threads` threads. */
double gravity_tree_potential(const Columns& c, const PotentialRule& rule, const KernelTable& kernels, int threads);

}  // namespace brokenrecord

#endif
