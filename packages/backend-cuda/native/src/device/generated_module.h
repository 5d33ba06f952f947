// The device module of a system's generated terms (cubin, fatbin or PTX compiled from the source of
// src/codegen/emit-cuda.ts by NVRTC or nvcc), loaded into the runtime's primary context through the
// CUDA driver API. The driver library is opened at run time (dlopen libcuda.so.1), so the addon
// still loads, and reports why, on a machine without a driver.
#ifndef BROKENRECORD_CUDA_GENERATED_MODULE_H
#define BROKENRECORD_CUDA_GENERATED_MODULE_H

#include <brokenrecord/generated_abi.h>
#include <cuda_runtime.h>

#include <vector>

#include "../generated/cuda_aux.h"

namespace brokenrecord {

class GeneratedModule {
 public:
  /** Loads `image`; throws DeviceError when the driver or the module cannot be loaded. */
  explicit GeneratedModule(const std::vector<unsigned char>& image);
  ~GeneratedModule();
  GeneratedModule(const GeneratedModule&) = delete;
  GeneratedModule& operator=(const GeneratedModule&) = delete;

  /** a += the position terms (external forces, fields without velocities). */
  void position(const br_gen_input& in, double* ax, double* ay, double* az, cudaStream_t stream);
  /** a += the fields that read velocities. */
  void velocity(const br_gen_input& in, double* ax, double* ay, double* az, cudaStream_t stream);
  /** a += (pair and bond forces) / m. */
  void two_body(const br_gen_input& in, const br_cuda_aux& aux, double* ax, double* ay, double* az,
                cudaStream_t stream);
  void grid_keys(const br_gen_input& in, uint32_t mask, uint32_t* keys, uint32_t* order, cudaStream_t stream);
  void grid_ranges(const uint32_t* sorted_keys, uint32_t n, uint32_t* begin, uint32_t* end, cudaStream_t stream);
  /** partials[b] = the energy of block b's particles (energy_blocks(n) blocks). */
  void energy(const br_gen_input& in, const br_cuda_aux& aux, double* partials, cudaStream_t stream);
  static unsigned energy_blocks(unsigned n) { return (n + BR_CUDA_ENERGY_BLOCK - 1) / BR_CUDA_ENERGY_BLOCK; }

 private:
  void launch(void* function, unsigned n, unsigned block, void** args, cudaStream_t stream, const char* name);

  void* module_ = nullptr;
  void *position_ = nullptr, *velocity_ = nullptr, *two_body_ = nullptr, *grid_keys_ = nullptr, *grid_ranges_ = nullptr,
       *energy_ = nullptr;
};

}  // namespace brokenrecord

#endif
