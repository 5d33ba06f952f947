// What a context knows of its system's generated terms (src/codegen/emit-cuda.ts): where the
// compiled code is, which kernels it needs, and the per-state arrays the terms read (attribute
// columns, bond tables, exclusion and per-particle bond lists), owned by the executor.
#ifndef BROKENRECORD_CUDA_GENERATED_PLAN_H
#define BROKENRECORD_CUDA_GENERATED_PLAN_H

#include <stdint.h>

#include <string>
#include <vector>

namespace brokenrecord {

struct GeneratedPlan {
  bool present = false;
  /** The host variant compiled as C++ (a shared object), for the host executor. */
  std::string library;
  /** The device module (cubin, fatbin or PTX), for the device executor. */
  std::vector<unsigned char> image;
  /** The kernel set of emit-cuda.ts (CudaKernelSet). */
  bool position = false, velocity = false, two_body = false, grid = false, bonds = false, energy = false;
  /** The system's dt as given (double): step k starts at t = k * dt. */
  double dt = 0;
};

/** The arrays behind br_gen_input's pointers and br_cuda_aux's bond lists, in the layout of abi.ts. */
struct TermData {
  std::vector<std::vector<float>> attributes;
  std::vector<std::vector<int32_t>> bond_i, bond_j;
  /** Every table's per-bond columns, table after table (br_gen_input.bond_params). */
  std::vector<std::vector<float>> bond_params;
  std::vector<uint32_t> ex_start, ex_list;
  /** Each particle's bonds, CSR over (table, bond) in table then bond order. */
  std::vector<uint32_t> bond_start, bond_table, bond_index;
};

}  // namespace brokenrecord

#endif
