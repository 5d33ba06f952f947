// Core scans the state after every step call; doing it here instead of in JavaScript keeps the
// scan as fast as the steps (OpenMP threads over contiguous ranges). Each thread stops at the first
// bad particle of its own range and the minimum over threads is the answer, so a diverged state
// costs no more than a clean one and the result does not depend on the thread count.
#include "non_finite.h"

#include <math.h>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace brokenrecord {

namespace {

// Below this many particles a parallel region costs more than the scan.
constexpr size_t PARALLEL_FROM = 1 << 16;

/** First bad index in [lo, hi), or hi. */
size_t scan(const Columns& c, size_t lo, size_t hi) {
  for (size_t i = lo; i < hi; i++) {
    // isfinite is exact here: the addon is built without -ffast-math (CMakeLists.txt).
    if (!(isfinite(c.px[i]) && isfinite(c.py[i]) && isfinite(c.pz[i]) && isfinite(c.vx[i]) && isfinite(c.vy[i]) &&
          isfinite(c.vz[i]))) {
      return i;
    }
  }
  return hi;
}

}  // namespace

int64_t first_non_finite(const Columns& c, int threads) {
  const size_t n = c.n;
  size_t first = n;
#ifdef _OPENMP
  if (n >= PARALLEL_FROM && threads > 1) {
#pragma omp parallel num_threads(threads) reduction(min : first)
    {
      const size_t t = (size_t)omp_get_thread_num(), count = (size_t)omp_get_num_threads();
      const size_t lo = n * t / count, hi = n * (t + 1) / count;
      const size_t bad = scan(c, lo, hi);
      if (bad < hi) first = bad;
    }
    return first == n ? -1 : (int64_t)first;
  }
#endif
  first = scan(c, 0, n);
  return first == n ? -1 : (int64_t)first;
}

}  // namespace brokenrecord
