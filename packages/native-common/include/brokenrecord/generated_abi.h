// The C ABI between a native step loop and the code generated for a system's expression terms:
// the same text as ABI_HEADER in native-common's src/codegen/abi.ts, which every generated
// translation unit starts with (a test compares the two). Change both, and the version, together.
#ifndef BROKENRECORD_GENERATED_ABI_H
#define BROKENRECORD_GENERATED_ABI_H

#include <stdint.h>
#define BR_GEN_ABI_VERSION 2
#define BR_GEN_EXPORT extern "C" __attribute__((visibility("default")))
struct br_gen_input {
  uint32_t version;
  uint32_t count;
  double t;
  const float *px, *py, *pz, *vx, *vy, *vz, *mass, *radius;
  const float* const* attributes;
  const uint32_t* bond_count;
  const int32_t* const* bond_i;
  const int32_t* const* bond_j;
  const float* const* bond_params;
  const uint32_t* ex_start;
  const uint32_t* ex_list;
  void* workspace;
};

#endif
