// pairwiseGravity by tree, scalar path: one particle per walk, exact 1/sqrt (the CUDA kernels'
// arithmetic, brokenrecord/gravity_tree_walk.h with TreeScalarLanes).
#include <brokenrecord/gravity_tree_walk.h>
#include "kernel_table.h"

namespace brokenrecord {

void gravity_tree_scalar(const TreeWalkInput& in, uint32_t lo, uint32_t hi, float* ax, float* ay, float* az,
                         float* phi) {
  tree_walk_range<TreeScalarLanes>(in, lo, hi, ax, ay, az, phi);
}

}  // namespace brokenrecord
