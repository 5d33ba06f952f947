// Just enough of CUDA to compile the generated kernels (src/codegen/emit-cuda.ts) as C++ and run
// them on the CPU: one block at a time, its threads as std::threads meeting at __syncthreads() on a
// barrier, __shared__ arrays as statics (one block runs at a time). A test instrument only.
#pragma once
#include <barrier>

struct br_dim3 {
  unsigned x = 0, y = 0, z = 0;
};
extern thread_local br_dim3 threadIdx, blockIdx;
extern br_dim3 blockDim;
void br_sync_threads();

#define __device__
#define __global__
#define __shared__ static
#define __syncthreads() br_sync_threads()
