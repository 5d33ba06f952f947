// The stepper's pairwise phase when a pairwiseGravity term runs on the tree (kernels/gravity_tree_forces.h).
#include "stepper.h"

#ifdef _OPENMP
#include <omp.h>
#endif

namespace brokenrecord {

void Stepper::tree_gravity(const Columns& c) {
#ifdef _OPENMP
  const int team = omp_get_num_threads(), self = omp_get_thread_num();
#else
  const int team = 1, self = 0;
#endif
  tree_.forces(c, plan_.pairwise, *kernels_, force_[0].data(), force_[1].data(), force_[2].data(), team, self);
}

}  // namespace brokenrecord
