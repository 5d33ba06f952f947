// Core's divergence scan (firstNonFinite in packages/core/src/state.ts), run where the state is.
#ifndef BROKENRECORD_KERNELS_NON_FINITE_H
#define BROKENRECORD_KERNELS_NON_FINITE_H

#include <stdint.h>

#include "../simd_plan.h"

namespace brokenrecord {

/** The smallest index whose position or velocity has a NaN or an infinity, or -1. */
int64_t first_non_finite(const Columns& c, int threads);

}  // namespace brokenrecord

#endif
