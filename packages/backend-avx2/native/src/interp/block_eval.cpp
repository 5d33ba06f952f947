#include "block_eval.h"

#include <math.h>

#include "bytecode_format.h"
#include "cpu/cpu_features.h"

namespace brokenrecord {
namespace interp {

RegisterFile::RegisterFile(const Program& p) : data_((size_t)(p.registers ? p.registers : 1) * kLanes, 0.0) {
  for (size_t k = 0; k < p.constants.size(); k++)
    for (int l = 0; l < kLanes; l++) data_[k * kLanes + l] = p.constants[k];
}

void run_block_base(const Instruction* code, size_t count, double* regs, int lanes);
#ifdef BROKENRECORD_HAVE_X86_KERNELS
void run_block_avx2(const Instruction* code, size_t count, double* regs, int lanes);
#endif

BlockRunner block_runner(const std::string& isa) {
#ifdef BROKENRECORD_HAVE_X86_KERNELS
  if (isa != "scalar" && detect_cpu_features().can_avx2()) return {run_block_avx2, "avx2"};
#endif
  return {run_block_base, "scalar"};
}

}  // namespace interp
}  // namespace brokenrecord
