// pairwiseGravity on the Barnes-Hut tree for the host executor: the tree of
// brokenrecord/gravity_tree_build.h built by one thread and walked one particle at a time with
// TreeScalarLanes, the very functions the device kernels run per cell and per thread.
#ifndef BROKENRECORD_CUDA_HOST_GRAVITY_TREE_H
#define BROKENRECORD_CUDA_HOST_GRAVITY_TREE_H

#include <stddef.h>
#include <vector>
#include <brokenrecord/gravity_tree_build.h>
#include <brokenrecord/plan_terms.h>

namespace brokenrecord {

class HostGravityTree {
 public:
  /** Builds the tree of the current positions (once per force evaluation, before the terms). */
  void build(const float* px, const float* py, const float* pz, const float* m, size_t n);
  /** One term's accelerations into f (= when `first`, else +=), as gravity_total combines them. */
  void add_term(const PairwiseTerm& term, bool first, float* fx, float* fy, float* fz);
  /** U = G/2 sum_i m_i phi_i of one pairwiseGravity rule (builds its own tree of the positions). */
  double potential(const float* px, const float* py, const float* pz, const float* m, size_t n,
                   const PotentialRule& rule);

 private:
  GravityTreeBuilder tree_;
  std::vector<float> sorted_[4];
};

}  // namespace brokenrecord

#endif
