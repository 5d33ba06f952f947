// A system's expression terms run by interpreting their bytecode (src/codegen/bytecode.ts):
// the GeneratedForces of a machine without a C++ compiler. The term groups, the programs and the
// order of the sums over terms are those of the generated C++ (native-common's emit-cpp.ts), with
// the same <math.h>, so the two paths agree to rounding (bit for bit where they visit a particle's
// pairs in the same order: per-particle terms, bonds, all-pairs rows). Particles
// (per-particle terms) and pairs (by their first particle) are split among OpenMP threads; each
// particle's sum is formed by one thread in a fixed order, so the result does not depend on the
// thread count. Cutoff pairs come from a neighbour list with a skin, kept across calls. Bonds and the potential energy
// are summed by one thread, in bond and pair order.
#ifndef BROKENRECORD_INTERP_INTERPRETED_FORCES_H
#define BROKENRECORD_INTERP_INTERPRETED_FORCES_H

#include <string>
#include <vector>

#include "block_eval.h"
#include "brokenrecord/generated_forces.h"
#include "neighbour_list.h"
#include "program.h"

namespace brokenrecord {
namespace interp {

/** A block of pairs (or bonds) gathered for one evaluation. */
struct PairLanes {
  uint32_t i[kLanes], j[kLanes], b[kLanes];
  double dx[kLanes], dy[kLanes], dz[kLanes], r2[kLanes];
  int n = 0;
};

class InterpretedForces : public GeneratedForces {
 public:
  /** `isa`: "scalar" keeps the block loops to the baseline instructions; anything else takes AVX2 where it runs. */
  InterpretedForces(Bytecode bytecode, int threads, const std::string& isa = "");
  int accelerations(const br_gen_input& in, uint32_t what, double* ax, double* ay, double* az) override;
  double potential(const br_gen_input& in) override;
  const char* path() const override { return "interpreter"; }
  /** The instruction set of the block loops ("scalar" or "avx2"). */
  const char* isa() const { return runner_.isa; }
  const Bytecode& bytecode() const { return b_; }
  int threads() const { return threads_; }
  /** Neighbour-list builds so far (a cutoff term's pairs are kept across calls while no particle moved skin/2). */
  uint64_t list_builds() const { return list_.builds(); }

 private:
  struct Workspace {
    std::vector<RegisterFile> files;  // by Program::slot
    PairLanes lanes;
  };
  RegisterFile& file(int thread, const Program& p) { return work_[thread].files[p.slot]; }
  int team(size_t work) const;

  void particle_terms(const ParticleSection& s, const br_gen_input& in, double* ax, double* ay, double* az);
  double external_energy(const br_gen_input& in);
  void pair_forces(const PairSection& s, const br_gen_input& in);
  double pair_energy(const PairSection& s, const br_gen_input& in);
  void bond_forces(const BondSection& s, const br_gen_input& in);
  double bond_energy(const BondSection& s, const br_gen_input& in);
  /** Loads a pair block's variables, runs `p` and leaves each term's value in its output registers. */
  void eval_pairs(const Program& p, RegisterFile& regs, const PairLanes& lanes, const br_gen_input& in,
                  const BondSection* bond);
  /** The sum over the section's terms of one pair of the block, each term behind its cutoff and exclusion test. */
  double pair_sum(const PairSection& s, const Program& p, const RegisterFile& regs, const PairLanes& lanes, int l,
                  const br_gen_input& in) const;
  void fill_bond_lanes(const BondSection& s, const br_gen_input& in, uint32_t b0, PairLanes& lanes) const;

  Bytecode b_;
  int threads_;
  BlockRunner runner_;
  std::vector<Workspace> work_;
  int update_list(const br_gen_input& in);
  NeighbourList list_;
  std::vector<double> fx_, fy_, fz_;
};

}  // namespace interp
}  // namespace brokenrecord

#endif
