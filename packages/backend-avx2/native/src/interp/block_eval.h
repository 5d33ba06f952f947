// Runs a program on a block of lanes: each instruction is one loop over the block's registers
// (kLanes doubles each), so the dispatch of an opcode is paid once per block, not per particle
// or pair, and the arithmetic loops vectorise. The elementary functions are <math.h>'s, called
// lane by lane, as the generated C++ calls them; built with -ffp-contract=off like it.
#ifndef BROKENRECORD_INTERP_BLOCK_EVAL_H
#define BROKENRECORD_INTERP_BLOCK_EVAL_H

#include <string>
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
  double* data() { return data_.data(); }
  const double* reg(uint32_t r) const { return data_.data() + (size_t)r * kLanes; }

 private:
  std::vector<double> data_;
};

/**
 * Executes `count` instructions on the first `lanes` lanes of the registers at `regs` (loads
 * already in place). Raw pointers: the ISA variants use no inline function of a header.
 */
using RunBlockFn = void (*)(const Instruction* code, size_t count, double* regs, int lanes);

/** The block loops of one instruction set: AVX2 where the CPU and OS allow it (unless `isa` is "scalar"). */
struct BlockRunner {
  RunBlockFn run;
  const char* isa;
};
BlockRunner block_runner(const std::string& isa);

inline void run_block(const BlockRunner& runner, const Program& p, RegisterFile& regs, int lanes) {
  runner.run(p.code.data(), p.code.size(), regs.data(), lanes);
}

}  // namespace interp
}  // namespace brokenrecord

#endif
