// The scalar "vector": plain float, one lane. physics.h already defines the float primitives;
// this adds the load/store traits the generic kernels use.
#ifndef BROKENRECORD_SIMD_VEC_SCALAR_H
#define BROKENRECORD_SIMD_VEC_SCALAR_H

#include <brokenrecord/physics.h>

namespace brokenrecord {
namespace {

struct ScalarLanes {
  using V = float;
  static constexpr int registers = 16;
  static constexpr int width = 1;
  static V load(const float* p) { return *p; }
  static void store(float* p, V v) { *p = v; }
  static V broadcast(float x) { return x; }
  static V opaque_one() { return 1.0f; }
};

}  // namespace
}  // namespace brokenrecord

#endif
