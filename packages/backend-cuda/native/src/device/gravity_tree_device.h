// pairwiseGravity on the Barnes-Hut tree on the device (docs/physics.md "Gravity by tree"): the
// steps of brokenrecord/gravity_tree.h as kernels, so the tree is the CPU's (63-bit keys, the
// octree of key prefixes with one-child cells collapsed, float64 moments) and each thread walks it
// for one particle with the very function the host executor runs (TreeScalarLanes):
//   bounding box (CUB reductions) -> keys -> CUB radix sort of (key, index) -> sorted columns ->
//   cells generation by generation (split, CUB scan of the child counts, children) -> moments,
//   last generation first -> one walk per term.
// The host reads back the box and each generation's size (a few synchronisations per build).
#ifndef BROKENRECORD_CUDA_GRAVITY_TREE_DEVICE_H
#define BROKENRECORD_CUDA_GRAVITY_TREE_DEVICE_H

#include <cuda_runtime.h>
#include <stdint.h>
#include <vector>
#include <brokenrecord/gravity_tree.h>
#include <brokenrecord/plan_terms.h>
#include "device_check.h"
#include "kernels.h"

namespace brokenrecord {

class DeviceGravityTree {
 public:
  /** Builds the tree of the state's current positions on `stream` (synchronises it a few times). */
  void build(const DeviceState& s, cudaStream_t stream);
  /** f = (first) or += G * the tree's accelerations of one term, by particle index. */
  void add_term(const PairwiseTerm& term, bool first, float* fx, float* fy, float* fz, cudaStream_t stream);
  /** U = G/2 sum_i m_i phi_i of one pairwiseGravity rule (builds the tree; synchronises). */
  double potential(const DeviceState& s, const PotentialRule& rule, cudaStream_t stream);

 private:
  void reserve(unsigned n);

  unsigned n_ = 0, capacity_ = 0;
  DeviceArray<uint64_t> keys_, keys_sorted_;
  DeviceArray<uint32_t> index_, order_;
  DeviceArray<float> xs_, ys_, zs_, ms_, phi_, box_;
  DeviceArray<double> energy_;
  // Cells (at most 2n - 1: every internal cell has two children or more).
  DeviceArray<uint32_t> begin_, end_, first_, child_count_, octants_;
  DeviceArray<uint8_t> depth_;
  DeviceArray<TreeMoments> moments_;
  DeviceArray<TreeNode> nodes_;
  DeviceArray<unsigned char> scratch_;
  size_t scratch_bytes_ = 0;
  std::vector<uint32_t> levels_;  // cells of generation g are [levels_[g], levels_[g + 1])
};

}  // namespace brokenrecord

#endif
