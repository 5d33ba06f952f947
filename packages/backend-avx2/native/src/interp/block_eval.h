// Runs a program on a block of lanes: each instruction is one loop over the block's registers
// (kLanes doubles each), so the dispatch of an opcode is paid once per block, not per particle
// or pair, and the arithmetic loops vectorise. The elementary functions are <math.h>'s, called
// lane by lane, as the generated C++ calls them; built with -ffp-contract=off like it.
#ifndef BROKENRECORD_INTERP_BLOCK_EVAL_H
#define BROKENRECORD_INTERP_BLOCK_EVAL_H

#include <vector>

#include "program.h"

namespace brokenrecord {
namespace interp {

/** Lanes per block (particles, pairs or bonds evaluated together). */
constexpr int kLanes = 32;

/** One thread's registers for one program, constants already broadcast into their lanes. */
class RegisterFile {
 public:
  explicit RegisterFile(const Program& p);
  double* reg(uint32_t r) { return data_.data() + (size_t)r * kLanes; }
  const double* reg(uint32_t r) const { return data_.data() + (size_t)r * kLanes; }

 private:
  std::vector<double> data_;
};

/** Executes every instruction of `p` on the first `lanes` lanes (loads must already be in place). */
void run_block(const Program& p, RegisterFile& regs, int lanes);

}  // namespace interp
}  // namespace brokenrecord

#endif
