// The same sums as core's computeDiagnostics, in the same order: the O(N) reductions run
// sequentially, and the pairwise potential computes each particle's row sum in parallel but adds
// the rows in index order, so the result does not depend on the thread count.
#include "diagnostics.h"
#include "gravity_tree_forces.h"

#include "contacts.h"

#include <math.h>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace brokenrecord {

DiagnosticsResult compute_diagnostics(const Columns& c, const SimdPlan& plan, int threads, const KernelTable& kernels) {
  DiagnosticsResult d;
  const size_t n = c.n;
  for (size_t i = 0; i < n; i++) {
    const double m = c.mass[i];
    const double x = c.px[i], y = c.py[i], z = c.pz[i];
    const double u = c.vx[i], v = c.vy[i], w = c.vz[i];
    d.kinetic += 0.5 * m * (u * u + v * v + w * w);
    d.mass += m;
    d.momentum[0] += m * u;
    d.momentum[1] += m * v;
    d.momentum[2] += m * w;
    d.angular[0] += m * (y * w - z * v);
    d.angular[1] += m * (z * u - x * w);
    d.angular[2] += m * (x * v - y * u);
    d.center[0] += m * x;
    d.center[1] += m * y;
    d.center[2] += m * z;
  }
  if (d.mass > 0)
    for (int k = 0; k < 3; k++) d.center[k] /= d.mass;

  // Potential, rule by rule in rule order, as core's potentialEnergy sums it.
  std::vector<double> rows;
  for (const PotentialRule& rule : plan.potentials) {
    if (!rule.pairwise) {
      const double gx = rule.g[0], gy = rule.g[1], gz = rule.g[2];
      for (size_t i = 0; i < n; i++) d.potential -= (double)c.mass[i] * (gx * c.px[i] + gy * c.py[i] + gz * c.pz[i]);
      continue;
    }
    if (n < 2) continue;
    if (uses_gravity_tree(rule.method, (long long)n)) {
      d.potential += gravity_tree_potential(c, rule, kernels, threads);
      continue;
    }
    rows.assign(n, 0.0);
    const double eps2 = rule.eps2;
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 64) num_threads(threads)
#endif
    for (long long ii = 0; ii < (long long)n; ii++) {
      const size_t i = (size_t)ii;
      const double xi = c.px[i], yi = c.py[i], zi = c.pz[i];
      double sum = 0;
      for (size_t j = i + 1; j < n; j++) {
        const double dx = c.px[j] - xi, dy = c.py[j] - yi, dz = c.pz[j] - zi;
        sum += c.mass[j] / sqrt(dx * dx + dy * dy + dz * dz + eps2);
      }
      rows[i] = sum;
    }
    for (size_t i = 0; i < n; i++) d.potential -= rule.G * c.mass[i] * rows[i];
  }
  if (plan.contacts) d.potential += contact_potential(c, plan.contact_law);
  (void)threads;
  return d;
}

}  // namespace brokenrecord
