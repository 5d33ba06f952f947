#include "self_test.h"

#include <math.h>
#include <string.h>
#include <vector>

#include "stepper.h"

namespace brokenrecord {

namespace {

struct OwnedState {
  std::vector<float> data;
  size_t n;
  explicit OwnedState(size_t count) : data(8 * count), n(count) {
    // A deterministic scatter of particles in the box [-2, 2]^3 with mixed radii and masses.
    uint32_t seed = 12345;
    auto next = [&]() {
      seed = seed * 1664525u + 1013904223u;
      return (float)((seed >> 8) & 0xffff) / 65536.0f;
    };
    for (size_t i = 0; i < n; i++) {
      for (int k = 0; k < 3; k++) data[k * n + i] = 3.6f * next() - 1.8f;
      for (int k = 3; k < 6; k++) data[k * n + i] = 4.0f * next() - 2.0f;
      data[6 * n + i] = 0.5f + next();
      data[7 * n + i] = 0.05f + 0.2f * next();
    }
  }
  Columns columns() {
    float* p = data.data();
    Columns c;
    c.px = p;
    c.py = p + n;
    c.pz = p + 2 * n;
    c.vx = p + 3 * n;
    c.vy = p + 4 * n;
    c.vz = p + 5 * n;
    c.mass = p + 6 * n;
    c.radius = p + 7 * n;
    c.n = n;
    return c;
  }
};

SimdPlan make_plan(bool verlet, bool coupled) {
  SimdPlan plan;
  plan.verlet = verlet;
  plan.dt = 0.01f;
  plan.half = 0.005f;
  plan.g[1] = -9.81f;
  plan.k = coupled ? 0.0f : 0.3f;
  plan.walls = true;
  for (int k = 0; k < 3; k++) plan.axis_walls[k] = AxisWalls{-2.0, 2.0, -0.9, false};
  if (coupled) {
    plan.pairwise.push_back(PairwiseTerm{0.5, 0.01f});
    plan.collisions = true;
    plan.bounce = 1.8;
  }
  return plan;
}

std::string compare(const OwnedState& a, const OwnedState& b, double tolerance, const char* what) {
  for (size_t i = 0; i < a.data.size(); i++) {
    const double x = a.data[i], y = b.data[i];
    const bool same = tolerance == 0 ? memcmp(&a.data[i], &b.data[i], sizeof(float)) == 0
                                     : fabs(x - y) <= tolerance * (1.0 + fabs(y));
    if (!same)
      return std::string(what) + ": value " + std::to_string(i) + " is " + std::to_string(x) + ", scalar gives " +
             std::to_string(y);
  }
  return "";
}

}  // namespace

std::string self_test(const KernelTable& kernels) {
  // Per-particle rules: fused on the tested table == phase by phase on the scalar table, bitwise
  // (same expressions, same roundings). 45 particles leave a partial SIMD block.
  for (int verlet = 0; verlet < 2; verlet++) {
    OwnedState tested(45), scalar(45);
    Stepper fused(make_plan(verlet, false), kernels, 1, true);
    Stepper phased(make_plan(verlet, false), kScalarKernels, 1, false);
    fused.step(tested.columns(), 40);
    phased.step(scalar.columns(), 40);
    std::string problem = compare(tested, scalar, 0, verlet ? "verlet per-particle" : "euler per-particle");
    if (!problem.empty()) return problem;
  }
  // Collisions: the vectorised contact test must find exactly the scalar contacts, in order.
  {
    OwnedState tested(45), scalar(45);
    SimdPlan plan = make_plan(false, true);
    plan.pairwise.clear();
    Stepper a(plan, kernels, 1, true);
    Stepper b(plan, kScalarKernels, 1, true);
    a.step(tested.columns(), 10);
    b.step(scalar.columns(), 10);
    std::string problem = compare(tested, scalar, 0, "collisions");
    if (!problem.empty()) return problem;
  }
  // Coupled rules: rsqrt-based gravity agrees with the exact scalar one to well under 1e-5.
  OwnedState tested(45), scalar(45);
  Stepper a(make_plan(false, true), kernels, 1, true);
  Stepper b(make_plan(false, true), kScalarKernels, 1, true);
  a.step(tested.columns(), 3);
  b.step(scalar.columns(), 3);
  return compare(tested, scalar, 1e-4, "pairwise gravity and collisions");
}

}  // namespace brokenrecord
