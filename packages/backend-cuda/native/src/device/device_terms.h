// The device executor's side of the generated terms: their module (generated_module.h), the arrays
// they read in device memory, the accelerations they add (double, cached for verlet as the host
// executor's HostTerms does) and the pair grid they scan, built on the stream like every kernel.
#ifndef BROKENRECORD_CUDA_DEVICE_TERMS_H
#define BROKENRECORD_CUDA_DEVICE_TERMS_H

#include "../generated/generated_plan.h"
#include "device_check.h"
#include "generated_module.h"
#include "kernels.h"

namespace brokenrecord {

class DeviceTerms {
 public:
  /** Loads the plan's device module; throws DeviceError when it cannot. */
  explicit DeviceTerms(const GeneratedPlan& plan);

  /** A new state of n particles: buffers sized, cached accelerations stale. */
  void resize(unsigned n);
  /** Uploads the arrays the terms read (synchronously: this follows a write of the state). */
  void write(const TermData& data, cudaStream_t stream);
  /** The position terms at time t into the cache. */
  void position(const DeviceState& s, double t, cudaStream_t stream);
  /** The accelerations a kick adds (cache + velocity terms now): three device arrays of n doubles. */
  void velocity(const DeviceState& s, double t, cudaStream_t stream, const double* (&out)[3]);
  /** The terms' potential energy at time t: block sums read back and added in block order. */
  double potential(const DeviceState& s, double t, cudaStream_t stream);

 private:
  br_gen_input input(const DeviceState& s, double t) const;
  void build_grid(const br_gen_input& in, cudaStream_t stream);

  GeneratedPlan plan_;
  GeneratedModule module_;
  unsigned n_ = 0;
  DeviceArray<double> position_[3], sum_[3], partials_;
  // The term arrays, each kind in one allocation; `pointers_` holds the struct's pointer tables.
  DeviceArray<float> floats_;
  DeviceArray<int32_t> ints_;
  DeviceArray<uint32_t> uints_;
  DeviceArray<const void*> pointers_;
  br_gen_input base_ = {};
  br_cuda_aux aux_ = {};
  // The pair grid (cutoff terms).
  DeviceArray<uint32_t> keys_, keys_sorted_, order_in_, order_, begin_, end_;
  DeviceArray<unsigned char> sort_scratch_;
  size_t sort_scratch_bytes_ = 0;
  uint32_t buckets_ = 0;
  int key_bits_ = 0;
};

/** v += ((g - k*v) + f + a)*h (physics/generated_kick.h); f (three float columns) may be null. */
void launch_kick_terms(const MotionPlan& plan, const DeviceState& s, const float* fx, const float* fy, const float* fz,
                       const double* const (&a)[3], float h, cudaStream_t stream);

}  // namespace brokenrecord

#endif
