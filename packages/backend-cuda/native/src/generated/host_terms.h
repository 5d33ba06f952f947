// The host executor's side of the generated terms: the host variant of the CUDA source, loaded as
// a shared object (GeneratedForces), called on the executor's own copy of the state.
#ifndef BROKENRECORD_CUDA_HOST_TERMS_H
#define BROKENRECORD_CUDA_HOST_TERMS_H

#include <brokenrecord/generated_forces.h>

#include <memory>
#include <vector>

#include "generated_plan.h"

namespace brokenrecord {

class HostTerms {
 public:
  /** Loads plan.library; throws std::runtime_error when it cannot. */
  explicit HostTerms(const GeneratedPlan& plan);

  /** A new state of n particles: the cached accelerations are sized (and stale). */
  void resize(size_t n);
  void write(TermData data);

  /** The position terms at time t into the cache (columns: px py pz vx vy vz mass radius). */
  void position(const float* const* columns, double t);
  /**
   * The accelerations a kick adds: the cached position terms plus the velocity terms evaluated now;
   * `out[k]` points at n doubles, valid until the next call.
   */
  void velocity(const float* const* columns, double t, const double* (&out)[3]);
  /** The terms' potential energy at time t (NaN when the generated code reports an error). */
  double potential(const float* const* columns, double t);

 private:
  br_gen_input input(const float* const* columns, double t);
  void check(int rc, const char* what) const;

  GeneratedPlan plan_;
  std::unique_ptr<GeneratedForces> forces_;
  TermData data_;
  std::vector<const float*> attributes_, bond_params_;
  std::vector<const int32_t*> bond_i_, bond_j_;
  std::vector<uint32_t> bond_count_;
  size_t n_ = 0;
  std::vector<double> position_[3], sum_[3];
};

}  // namespace brokenrecord

#endif
