// A decoded and validated bytecode: every index checked against what it indexes, so running it
// on a br_gen_input with the declared numbers of attributes, bond tables and per-bond columns
// cannot read or write outside the register files or the state's arrays.
#ifndef BROKENRECORD_INTERP_PROGRAM_H
#define BROKENRECORD_INTERP_PROGRAM_H

#include <stddef.h>
#include <stdint.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace brokenrecord {
namespace interp {

/** Malformed bytecode: the word at `offset` (of the code stream) is not what the format allows. */
class BytecodeError : public std::runtime_error {
 public:
  BytecodeError(const std::string& what, size_t offset) : std::runtime_error(what), offset(offset) {}
  size_t offset;
};

struct Load {
  uint32_t source, index;
};

struct Instruction {
  uint32_t op, dst, a, b, c;
};

/** Straight-line code over registers: constants first, then loaded variables, then temporaries. */
struct Program {
  uint32_t registers = 0;
  std::vector<double> constants;  // values of registers [0, constants.size())
  std::vector<Load> loads;        // registers [constants.size(), + loads.size())
  std::vector<Instruction> code;
  std::vector<uint32_t> outputs;
  /** Index of this program's register file in a thread's workspace (set by the interpreter). */
  uint32_t slot = 0;
  uint32_t first_load() const { return (uint32_t)constants.size(); }
};

struct ParticleSection {
  bool present = false;
  std::vector<uint8_t> per_mass;  // per term: divide its force by m
  Program program;                // 3 outputs per term
};

struct PairTerm {
  bool has_cutoff;
  double cutoff2;
  bool exclude;
};

struct PairSection {
  bool present = false;
  double reach = 0;
  std::vector<PairTerm> terms;
  Program force, energy;  // one output per term each
};

struct BondSection {
  uint32_t table, param_offset, per_bond;
  Program force, energy;  // one output each
};

struct Bytecode {
  uint32_t attributes = 0, bond_tables = 0, bond_params = 0;
  bool exclusions = false, periodic = false;
  double length[3] = {0, 0, 0}, lo[3] = {0, 0, 0};
  ParticleSection particle, velocity;
  bool has_external_energy = false;
  Program external_energy;
  PairSection grid, all;
  std::vector<BondSection> bonds;
  /** The most registers any program needs (sizes the per-thread register files). */
  uint32_t max_registers = 0;
};

/** Decodes and validates; throws BytecodeError naming the first offending word. */
Bytecode decode_bytecode(const uint32_t* code, size_t words, const double* constants, size_t count);

}  // namespace interp
}  // namespace brokenrecord

#endif
