// Core's divergence test (firstNonFinite in packages/core/src/state.ts) for one particle, shared by
// the device kernel and the host executor.
#ifndef BROKENRECORD_CUDA_FINITE_H
#define BROKENRECORD_CUDA_FINITE_H

#include <string.h>
#include <brokenrecord/physics.h>

namespace brokenrecord {

/**
 * NaN and ±∞ are exactly the floats whose exponent bits are all ones. Testing the bits needs no
 * isfinite (spelled differently by the host and device math libraries) and cannot be folded away
 * by a compiler that assumes finite math.
 */
BR_INLINE bool float_finite(float x) {
  unsigned bits;
  memcpy(&bits, &x, sizeof bits);
  return (bits & 0x7f800000u) != 0x7f800000u;
}

BR_INLINE bool particle_finite(float px, float py, float pz, float vx, float vy, float vz) {
  return float_finite(px) && float_finite(py) && float_finite(pz) && float_finite(vx) && float_finite(vy) &&
         float_finite(vz);
}

}  // namespace brokenrecord

#endif
