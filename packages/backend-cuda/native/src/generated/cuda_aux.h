// The second argument of the generated CUDA kernels (src/codegen/emit-cuda.ts), beside
// native-common's br_gen_input: the pair grid (particle indices stably sorted by bucket, each
// bucket's range) and each particle's bonds as CSR lists (table, bond), in the executor's memory.
// The same text as AUX_HEADER in src/codegen/cuda-abi.ts (a test compares the two).
#ifndef BROKENRECORD_CUDA_GENERATED_AUX_H
#define BROKENRECORD_CUDA_GENERATED_AUX_H

#include <stdint.h>

#define BR_CUDA_AUX_VERSION 1
#define BR_CUDA_ENERGY_BLOCK 256
#define BR_CUDA_TWO_BODY_BLOCK 128
struct br_cuda_aux {
  uint32_t version;
  uint32_t mask;
  const uint32_t* order;
  const uint32_t* begin;
  const uint32_t* end;
  const uint32_t* bond_start;
  const uint32_t* bond_table;
  const uint32_t* bond_index;
};

#endif
