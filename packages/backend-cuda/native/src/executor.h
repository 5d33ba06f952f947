// What the N-API context drives: a copy of the state in memory of its own (device memory, or host
// memory for the host executor) stepped by the kernels. The two executors run the same
// per-particle functions of physics/, so the host one tests the device math on any machine.
#ifndef BROKENRECORD_CUDA_EXECUTOR_H
#define BROKENRECORD_CUDA_EXECUTOR_H

#include <stddef.h>
#include <memory>
#include "physics/moments.h"
#include "physics/cuda_plan.h"

namespace brokenrecord {

/** The eight state columns in the order px py pz vx vy vz mass radius. */
constexpr int kColumns = 8;
/** The first six, the ones steps change: what a checkpoint saves (mass and radius only change by write()). */
constexpr int kSteppedColumns = 6;

class Executor {
 public:
  virtual ~Executor() = default;
  /** Replaces the state (count may change) and drops cached forces. */
  virtual void write(const float* const (&columns)[kColumns], size_t n) = 0;
  /** Copies the current state out. */
  virtual void read(float* const (&columns)[kColumns]) = 0;
  /**
   * Replaces the arrays the generated terms read (attributes, bond tables, exclusion and bond
   * lists) for the state of the last write(); call it after every write() of a plan with terms.
   */
  virtual void write_terms(TermData terms) = 0;
  /** `first` is the simulation's step count before these: step s starts at t = (first + s) * dt. */
  virtual void step(long long steps, long long first) = 0;
  /** The kMoments sums (potential included, of the terms at `time`), accumulated in float64. */
  virtual void diagnostics(double (&out)[kMoments], double time) = 0;
  virtual size_t count() const = 0;
  /** Steps so far whose collisions ended at the sweep limit still applying impulses (docs/physics.md). */
  virtual long long unresolved_contact_steps() const = 0;
  /**
   * Saves positions and velocities where the state lives (core's checkpoint before a step call),
   * and puts them back (its rollback after a failed one; drops cached forces). write() discards the
   * checkpoint: rollback() without one throws std::logic_error.
   */
  virtual void checkpoint() = 0;
  virtual void rollback() = 0;
  /** The smallest index with a non-finite position or velocity (physics/finite.h), or -1. */
  virtual long long first_non_finite() = 0;
};

std::unique_ptr<Executor> make_host_executor(const CudaPlan& plan);
/** Throws std::runtime_error when built without CUDA or when the device fails. */
std::unique_ptr<Executor> make_device_executor(const CudaPlan& plan);

/** Largest radius of a state (the contact grid's cell size follows from it). */
double largest_radius(const float* radius, size_t n);

}  // namespace brokenrecord

#endif
