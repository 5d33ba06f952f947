// Diagnostics of the current state, accumulated in double (docs/physics.md, "Diagnostics").
#ifndef BROKENRECORD_KERNELS_DIAGNOSTICS_H
#define BROKENRECORD_KERNELS_DIAGNOSTICS_H

#include "../simd_plan.h"
#include "kernel_table.h"

namespace brokenrecord {

/** kinetic, potential, momentum[3], angularMomentum[3], centerOfMass[3], mass. */
struct DiagnosticsResult {
  double kinetic = 0, potential = 0;
  double momentum[3] = {0, 0, 0}, angular[3] = {0, 0, 0}, center[3] = {0, 0, 0};
  double mass = 0;
};

/** `kernels` walks the tree of a pairwiseGravity rule that uses it (its potential is the tree's). */
DiagnosticsResult compute_diagnostics(const Columns& c, const SimdPlan& plan, int threads, const KernelTable& kernels);

}  // namespace brokenrecord

#endif
