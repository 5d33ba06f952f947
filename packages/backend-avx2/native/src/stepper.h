// Runs the steps of docs/physics.md on one state with one kernel table: step fusion when every
// rule is per-particle, otherwise phase by phase inside one OpenMP parallel region. Owns the
// scratch memory (accelerations, pairwise forces = the verlet cache, collision impulses, grid).
#ifndef BROKENRECORD_STEPPER_H
#define BROKENRECORD_STEPPER_H

#include <stdint.h>
#include <vector>
#include "kernels/broadphase.h"
#include "kernels/collisions.h"
#include "kernels/gravity_tree_forces.h"
#include "generated/generated_terms.h"
#include "kernels/kernel_table.h"
#include "simd_plan.h"

namespace brokenrecord {

class Stepper {
 public:
  Stepper(const SimdPlan& plan, const KernelTable& kernels, int threads, bool fuse)
      : plan_(plan), kernels_(&kernels), threads_(threads < 1 ? 1 : threads), fuse_(fuse) {}

  /**
   * Advances `steps` steps of the state in `c`, in place. Returns 0, or the negative code of a
   * failed expression-term evaluation (the steps stop there; the caller restores the state).
   */
  int step(const Columns& c, int64_t steps);
  /** The system's expression terms (owned by the caller, alive while the stepper is), or null. */
  void set_generated(const GeneratedTerms* terms) { generated_ = terms; }
  /** The simulation's step count before the next step() call: step k starts at t = k * dt. */
  void set_first_step(int64_t k) { first_step_ = k; }
  /** The expression terms' potential energy of the state in `c` at time t (0 without terms). */
  double generated_potential(const Columns& c, double t) const;
  /** Forgets the cached pairwise forces (the state was replaced from outside). */
  void invalidate() { cache_valid_ = false; }
  /** Frees every scratch buffer; the stepper can still be used afterwards (it reallocates). */
  void release();

  const SimdPlan& plan() const { return plan_; }
  const KernelTable& kernels() const { return *kernels_; }
  int threads() const { return threads_; }
  /** Steps so far whose collisions ended at the sweep limit still applying impulses (docs/physics.md). */
  long long unresolved_contact_steps() const { return unresolved_steps_; }
  /** Whether step() runs the fused kernels (a per-particle system with fusion enabled). */
  bool fuses() const { return fuse_ && plan_.per_particle(); }

 private:
  void reserve(size_t n);
  void fused(const Columns& c, int steps);
  void phased(const Columns& c, int steps, bool cached);
  AxisArgs axis_args(const Columns& c, int axis, size_t lo, size_t hi);
  /** pairwiseGravity when a term runs on the tree (stepper_gravity_tree.cpp): the whole team calls it. */
  void tree_gravity(const Columns& c);
  bool cache_matches(const Columns& c) const;
  void remember(const Columns& c);
  // Expression terms and the periodic wrap (stepper_generated.cpp).
  bool generated_position() const { return generated_ && generated_->position; }
  br_gen_input generated_input(const Columns& c, double t) const;
  void generated_position_terms(const Columns& c, double t);
  void generated_velocity_terms(const Columns& c, double t);
  void generated_kick(const AxisArgs& a, int axis, double h, const double* contact);
  void wrap_periodic(const Columns& c, size_t lo, size_t hi) const;
  void periodic_collision_impulses(const Columns& c, size_t lo, size_t hi);
  void apply_periodic_impulses(const Columns& c, size_t lo, size_t hi);
  bool generated_cache_matches(const Columns& c) const;
  void remember_generated(const Columns& c);

  SimdPlan plan_;
  const KernelTable* kernels_;
  int threads_;
  bool fuse_;
  size_t capacity_ = 0;
  std::vector<float> accel_[3];             // a of the next kick
  std::vector<float> force_[3];             // pairwise gravity accelerations
  std::vector<double> contact_columns_[4];  // x, y, z, r in grid order (vectorised contact test)
  std::vector<double> impulse_[3];          // soft-sphere contact accelerations
  Grid grid_;
  ContactSolver contacts_;
  long long unresolved_steps_ = 0;  // steps whose collisions reached the sweep limit
  GravityTreeForces tree_;
  // verlet: step 5's pairwise forces are step 1's of the next step (they depend on positions and
  // masses only). They belong to the state whose positions and masses are copied here; any other
  // state (written, edited in place, resized) recomputes them, as the reference does.
  bool cache_valid_ = false;
  size_t cache_count_ = 0;
  std::vector<float> cache_inputs_;
  // Expression terms: position-dependent accelerations (cached with force_ by verlet) and the
  // velocity-dependent ones of the current kick, in double as the reference adds them.
  const GeneratedTerms* generated_ = nullptr;
  int64_t first_step_ = 0;
  int gen_error_ = 0;
  std::vector<double> gen_f_[3], gen_v_[3];
  std::vector<float> gen_cache_inputs_;
  double gen_cache_topology_ = 0;
  int64_t gen_cache_step_ = 0;
};

}  // namespace brokenrecord

#endif
