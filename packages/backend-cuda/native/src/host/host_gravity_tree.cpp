#include "host_gravity_tree.h"

#include "../physics/gravity_tile.h"

namespace brokenrecord {

void HostGravityTree::build(const float* px, const float* py, const float* pz, const float* m, size_t n) {
  tree_.build(px, py, pz, m, n, 1, 0);
  for (auto& s : sorted_) s.resize(n);
}

void HostGravityTree::add_term(const PairwiseTerm& term, bool first, float* fx, float* fy, float* fz) {
  const uint32_t n = tree_.count();
  const TreeWalkInput in = tree_.input(term.eps2, (float)(term.theta * term.theta));
  float *ax = sorted_[0].data(), *ay = sorted_[1].data(), *az = sorted_[2].data();
  // One particle per walk, as one device thread does.
  tree_walk_range<TreeScalarLanes>(in, 0, n, ax, ay, az, nullptr);
  const uint32_t* order = tree_.order();
  for (uint32_t p = 0; p < n; p++) {
    const uint32_t i = order[p];
    fx[i] = gravity_total(term.G, ax[p], first, fx[i]);
    fy[i] = gravity_total(term.G, ay[p], first, fy[i]);
    fz[i] = gravity_total(term.G, az[p], first, fz[i]);
  }
}

double HostGravityTree::potential(const float* px, const float* py, const float* pz, const float* m, size_t n,
                                  const PotentialRule& rule) {
  if (n < 2) return 0.0;
  build(px, py, pz, m, n);
  const TreeWalkInput in = tree_.input((float)rule.eps2, (float)(rule.theta * rule.theta));
  tree_walk_range<TreeScalarLanes>(in, 0, (uint32_t)n, sorted_[0].data(), sorted_[1].data(), sorted_[2].data(),
                                   sorted_[3].data());
  double sum = 0;
  for (size_t p = 0; p < n; p++) sum += (double)in.ms[p] * sorted_[3][p];
  return 0.5 * rule.G * sum;
}

}  // namespace brokenrecord
