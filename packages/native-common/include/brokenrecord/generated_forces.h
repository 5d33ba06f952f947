// How a system's expression terms (rules written as expressions, core's kernel plan) plug into a
// native step loop, whichever way they run: a shared object generated and compiled for the system
// (loaded with dlopen through the C ABI of native-common's src/codegen/abi.ts) or the addon's
// interpreter of the same trees. The step loop only sees this interface.
#ifndef BROKENRECORD_GENERATED_FORCES_H
#define BROKENRECORD_GENERATED_FORCES_H

#include <stdint.h>

#include "generated_abi.h"

namespace brokenrecord {

/** Selects terms in accelerations(): the same values as GEN_POSITION_TERMS / GEN_VELOCITY_TERMS. */
constexpr uint32_t kGenPositionTerms = 1;
constexpr uint32_t kGenVelocityTerms = 2;

class GeneratedForces {
 public:
  virtual ~GeneratedForces() = default;
  /**
   * Adds the accelerations of the selected terms to ax/ay/az (length in.count); returns 0, or a
   * negative GEN_ERROR_* code (the state is not touched by the caller then).
   */
  virtual int accelerations(const br_gen_input& in, uint32_t what, double* ax, double* ay, double* az) = 0;
  /** The terms' potential energy; NaN on error. */
  virtual double potential(const br_gen_input& in) = 0;
  /** How the terms run, for the backend's `features`: "compiled" or "interpreter". */
  virtual const char* path() const = 0;
};

}  // namespace brokenrecord

#endif
