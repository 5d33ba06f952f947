#include "gravity_tree_forces.h"

#include <algorithm>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace brokenrecord {

namespace {

// Below this many particles one thread builds the tree while the others wait: the build's
// barriers would cost more than its loops.
constexpr size_t kTeamBuildMin = 32768;

void team_barrier(int threads) {
  if (threads > 1) {
#ifdef _OPENMP
#pragma omp barrier
#endif
  }
}

void build(GravityTreeBuilder& tree, const Columns& c, int threads, int self) {
  if (c.n >= kTeamBuildMin) {
    tree.build(c.px, c.py, c.pz, c.mass, c.n, threads, self);
    return;
  }
  if (self == 0) tree.build(c.px, c.py, c.pz, c.mass, c.n, 1, 0);
  team_barrier(threads);
}

/** Sorted positions per work chunk of a walk: a multiple of 16 lanes, ~32 chunks per thread. */
size_t walk_chunk(size_t n, int threads) {
  size_t size = std::max<size_t>(256, n / ((size_t)threads * 32));
  return (size + 15) / 16 * 16;
}

float theta_squared(double theta) { return (float)(theta * theta); }

}  // namespace

bool any_gravity_tree(const std::vector<PairwiseTerm>& terms, size_t n) {
  for (const PairwiseTerm& t : terms)
    if (uses_gravity_tree(t.method, (long long)n)) return true;
  return false;
}

void GravityTreeForces::forces(const Columns& c, const std::vector<PairwiseTerm>& terms, const KernelTable& kernels,
                               float* fx, float* fy, float* fz, int threads, int self) {
  const size_t n = c.n;
  if (self == 0)
    for (auto& s : sorted_) s.resize(n);
  build(tree_, c, threads, self);
  const size_t chunk = walk_chunk(n, threads);
  const long long chunks = (long long)((n + chunk - 1) / chunk);
  bool first = true;
  for (const PairwiseTerm& term : terms) {
    if (uses_gravity_tree(term.method, (long long)n)) {
      const TreeWalkInput in = tree_.input(term.eps2, theta_squared(term.theta));
      float *ax = sorted_[0].data(), *ay = sorted_[1].data(), *az = sorted_[2].data();
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 1)
#endif
      for (long long k = 0; k < chunks; k++) {
        const uint32_t lo = (uint32_t)(k * chunk), hi = (uint32_t)std::min(n, (size_t)(k + 1) * chunk);
        kernels.gravity_tree(in, lo, hi, ax, ay, az, nullptr);
      }
      // Back to particle order, times G, onto the previous terms' sum.
      const uint32_t* order = tree_.order();
      const double G = term.G;
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
      for (long long pp = 0; pp < (long long)n; pp++) {
        const size_t p = (size_t)pp, i = order[p];
        fx[i] = first ? (float)(G * ax[p]) : (float)((double)fx[i] + G * ax[p]);
        fy[i] = first ? (float)(G * ay[p]) : (float)((double)fy[i] + G * ay[p]);
        fz[i] = first ? (float)(G * az[p]) : (float)((double)fz[i] + G * az[p]);
      }
    } else {
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 1)
#endif
      for (long long k = 0; k < chunks; k++) {
        const size_t lo = (size_t)k * chunk, hi = std::min(n, (size_t)(k + 1) * chunk);
        kernels.pairwise_gravity(
            GravityArgs{c.px, c.py, c.pz, c.mass, n, term.eps2, term.G, first, fx, fy, fz, lo, hi});
      }
    }
    first = false;
  }
}

void GravityTreeForces::release() {
  tree_.release();
  for (auto& s : sorted_) std::vector<float>().swap(s);
}

double gravity_tree_potential(const Columns& c, const PotentialRule& rule, const KernelTable& kernels, int threads) {
  const size_t n = c.n;
  if (n < 2) return 0.0;
  GravityTreeBuilder tree;
  std::vector<float> a[3], phi(n);
  for (auto& s : a) s.resize(n);
  const size_t chunk = walk_chunk(n, threads);
  const long long chunks = (long long)((n + chunk - 1) / chunk);
  const int team = (int)std::min<long long>(threads, chunks);
#ifdef _OPENMP
#pragma omp parallel num_threads(team)
#endif
  {
#ifdef _OPENMP
    const int size = omp_get_num_threads(), self = omp_get_thread_num();
#else
    const int size = 1, self = 0;
#endif
    build(tree, c, size, self);
    const TreeWalkInput in = tree.input((float)rule.eps2, theta_squared(rule.theta));
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 1)
#endif
    for (long long k = 0; k < chunks; k++) {
      const uint32_t lo = (uint32_t)(k * chunk), hi = (uint32_t)std::min(n, (size_t)(k + 1) * chunk);
      kernels.gravity_tree(in, lo, hi, a[0].data(), a[1].data(), a[2].data(), phi.data());
    }
  }
  // In sorted order, one thread: the same sum for every thread count.
  const float* ms = tree.input(0, 0).ms;
  double sum = 0;
  for (size_t p = 0; p < n; p++) sum += (double)ms[p] * phi[p];
  return 0.5 * rule.G * sum;
}

}  // namespace brokenrecord
