#include "program.h"

#include <math.h>

#include "bytecode_format.h"

namespace brokenrecord {
namespace interp {

namespace {

// Far above anything a kernel plan produces; keeps a corrupt count from asking for gigabytes.
constexpr uint32_t kMaxRegisters = 1u << 16;

class Reader {
 public:
  Reader(const uint32_t* code, size_t words, const double* constants, size_t count)
      : code_(code), words_(words), constants_(constants), count_(count) {}

  size_t at() const { return at_; }
  uint32_t next(const char* what) {
    if (at_ >= words_) fail(std::string("bytecode ends inside ") + what);
    return code_[at_++];
  }
  /** A word in [0, limit). */
  uint32_t below(uint32_t limit, const char* what) {
    const uint32_t v = next(what);
    if (v >= limit)
      fail(std::string(what) + " " + std::to_string(v) + " is out of range (limit " + std::to_string(limit) + ")",
           at_ - 1);
    return v;
  }
  bool flag(const char* what) { return below(2, what) == 1; }
  double constant(const char* what) {
    const uint32_t k = next(what);
    if (k >= count_)
      fail(std::string(what) + ": constant " + std::to_string(k) + " is not in the pool of " + std::to_string(count_),
           at_ - 1);
    return constants_[k];
  }
  [[noreturn]] void fail(const std::string& why) const { fail(why, at_); }
  [[noreturn]] void fail(const std::string& why, size_t where) const {
    throw BytecodeError("malformed interpreter bytecode at word " + std::to_string(where) + ": " + why, where);
  }

 private:
  const uint32_t* code_;
  size_t words_;
  const double* constants_;
  size_t count_;
  size_t at_ = 0;
};

enum class Context { kParticle, kPair, kBond };

struct Limits {
  uint32_t attributes;
  uint32_t per_bond;  // kBond only
};

void check_source(Reader& r, Context ctx, const Limits& limits, Load& load) {
  const size_t where = r.at();
  load.source = r.next("load source");
  load.index = r.next("load index");
  const uint32_t s = load.source;
  const auto fail = [&](const char* why) { r.fail(std::string(why) + " (source " + std::to_string(s) + ")", where); };
  if (ctx == Context::kParticle) {
    if (s <= kTime) {
      if (load.index != 0) fail("a particle column load has index 0");
    } else if (s == kAttribute) {
      if (load.index >= limits.attributes) fail("attribute index out of range");
    } else {
      fail("not a particle variable");
    }
    return;
  }
  switch (s) {
    case kR:
    case kMass1:
    case kMass2:
    case kRadius1:
    case kRadius2:
      if (load.index != 0) fail("a pair variable load has index 0");
      return;
    case kAttribute1:
    case kAttribute2:
      if (load.index >= limits.attributes) fail("attribute index out of range");
      return;
    case kBondParam:
      if (ctx != Context::kBond) fail("per-bond values exist only in bond programs");
      if (load.index >= limits.per_bond) fail("per-bond value index out of range");
      return;
    default:
      fail("not a two-body variable");
  }
}

/** `outputs`: how many the section needs, or -1 for any positive number (one per term). */
Program read_program(Reader& r, Context ctx, const Limits& limits, int64_t outputs, uint32_t& max_registers) {
  Program p;
  const size_t head = r.at();
  p.registers = r.next("register count");
  const uint32_t nconst = r.next("constant count"), nloads = r.next("load count"), ninstr = r.next("instruction count"),
                 nout = r.next("output count");
  if (p.registers > kMaxRegisters) r.fail("too many registers", head);
  if ((uint64_t)nconst + nloads > p.registers) r.fail("constants and loads exceed the registers", head);
  if (outputs < 0 ? nout == 0 || nout > (1u << 16) : nout != outputs)
    r.fail("program has " + std::to_string(nout) + " outputs, its section needs " + std::to_string(outputs), head + 4);
  if (ninstr > kMaxRegisters * 16u) r.fail("too many instructions", head + 3);
  p.constants.resize(nconst);
  for (uint32_t k = 0; k < nconst; k++) p.constants[k] = r.constant("program constant");
  p.loads.resize(nloads);
  for (uint32_t k = 0; k < nloads; k++) check_source(r, ctx, limits, p.loads[k]);
  // Which registers hold a value so far: constants and loads from the start, temporaries once written.
  std::vector<uint8_t> defined(p.registers, 0);
  const uint32_t first_temp = nconst + nloads;
  for (uint32_t k = 0; k < first_temp; k++) defined[k] = 1;
  p.code.resize(ninstr);
  for (uint32_t k = 0; k < ninstr; k++) {
    const size_t where = r.at();
    Instruction& ins = p.code[k];
    ins.op = r.next("opcode");
    ins.dst = r.next("destination");
    ins.a = r.next("operand");
    ins.b = r.next("operand");
    ins.c = r.next("operand");
    const int arity = op_arity(ins.op);
    if (arity < 0) r.fail("unknown opcode " + std::to_string(ins.op), where);
    if (ins.dst < first_temp || ins.dst >= p.registers) r.fail("destination is not a temporary register", where + 1);
    const uint32_t args[3] = {ins.a, ins.b, ins.c};
    for (int a = 0; a < 3; a++) {
      if (a >= arity) {
        if (args[a] != 0) r.fail("unused operand is not 0", where + 2 + a);
        continue;
      }
      if (args[a] >= p.registers || !defined[args[a]]) r.fail("operand reads a register with no value", where + 2 + a);
      // The block loops assume a destination never aliases its operands.
      if (args[a] == ins.dst) r.fail("destination is also an operand", where + 1);
    }
    defined[ins.dst] = 1;
  }
  p.outputs.resize(nout);
  for (uint32_t k = 0; k < nout; k++) {
    const uint32_t o = r.next("output register");
    if (o >= p.registers || !defined[o]) r.fail("output register has no value", r.at() - 1);
    p.outputs[k] = o;
  }
  if (p.registers > max_registers) max_registers = p.registers;
  return p;
}

void read_particle(Reader& r, const Bytecode& b, ParticleSection& s, uint32_t& max_registers) {
  if (s.present) r.fail("a second particle section of the same kind");
  s.present = true;
  const uint32_t terms = r.below(1u << 16, "term count");
  if (terms == 0) r.fail("a particle section without terms");
  s.per_mass.resize(terms);
  for (uint32_t k = 0; k < terms; k++) s.per_mass[k] = r.flag("per-mass flag");
  s.program = read_program(r, Context::kParticle, {b.attributes, 0}, 3 * (int64_t)terms, max_registers);
}

void read_pairs(Reader& r, Bytecode& b, uint32_t& max_registers) {
  const uint32_t mode = r.below(2, "pair mode");
  PairSection& s = mode == kPairGrid ? b.grid : b.all;
  if (s.present) r.fail("a second pair section of the same mode");
  s.present = true;
  s.reach = r.constant("reach");
  if (mode == kPairGrid && !(s.reach > 0 && isfinite(s.reach))) r.fail("a grid reach is positive and finite");
  const uint32_t terms = r.below(1u << 16, "term count");
  if (terms == 0) r.fail("a pair section without terms");
  s.terms.resize(terms);
  for (uint32_t k = 0; k < terms; k++) {
    PairTerm& t = s.terms[k];
    t.has_cutoff = r.flag("cutoff flag");
    t.cutoff2 = r.constant("cutoff squared");
    t.exclude = r.flag("exclusion flag");
    if (mode == kPairGrid && !t.has_cutoff) r.fail("a grid term has a cutoff");
    if (mode == kPairGrid && !(t.cutoff2 <= s.reach * s.reach)) r.fail("a grid term's cutoff exceeds the grid's reach");
    if (t.exclude && !b.exclusions) r.fail("a term excludes bonded pairs but the bytecode declares no exclusion lists");
  }
  s.force = read_program(r, Context::kPair, {b.attributes, 0}, terms, max_registers);
  s.energy = read_program(r, Context::kPair, {b.attributes, 0}, terms, max_registers);
}

void read_bond(Reader& r, Bytecode& b, uint32_t& max_registers) {
  BondSection s;
  s.table = r.below(b.bond_tables, "bond table");
  for (const BondSection& other : b.bonds)
    if (other.table == s.table) r.fail("a second section for one bond table");
  s.param_offset = r.next("per-bond offset");
  s.per_bond = r.next("per-bond count");
  if ((uint64_t)s.param_offset + s.per_bond > b.bond_params) r.fail("per-bond values beyond the declared columns");
  s.force = read_program(r, Context::kBond, {b.attributes, s.per_bond}, 1, max_registers);
  s.energy = read_program(r, Context::kBond, {b.attributes, s.per_bond}, 1, max_registers);
  b.bonds.push_back(std::move(s));
}

}  // namespace

Bytecode decode_bytecode(const uint32_t* code, size_t words, const double* constants, size_t count) {
  Reader r(code, words, constants, count);
  Bytecode b;
  if (r.next("header") != kMagic) r.fail("not interpreter bytecode (magic)", 0);
  const uint32_t version = r.next("header");
  if (version != kVersion)
    r.fail("format version " + std::to_string(version) + ", this addon reads " + std::to_string(kVersion), 1);
  b.attributes = r.below(1u << 16, "attribute count");
  b.bond_tables = r.below(1u << 16, "bond table count");
  b.bond_params = r.below(1u << 16, "per-bond column count");
  b.exclusions = r.flag("exclusion flag");
  b.periodic = r.flag("periodic flag");
  for (int a = 0; a < 3; a++) {
    if (b.periodic) {
      b.length[a] = r.constant("box length");
      if (!(b.length[a] > 0 && isfinite(b.length[a])))
        r.fail("a periodic box length is positive and finite", r.at() - 1);
    } else if (r.next("box length") != 0) {
      r.fail("box words are 0 without a periodic box", r.at() - 1);
    }
  }
  for (int a = 0; a < 3; a++) {
    if (b.periodic) {
      b.lo[a] = r.constant("box minimum");
      if (!isfinite(b.lo[a])) r.fail("a periodic box minimum is finite", r.at() - 1);
    } else if (r.next("box minimum") != 0) {
      r.fail("box words are 0 without a periodic box", r.at() - 1);
    }
  }
  const uint32_t sections = r.below(1u << 16, "section count");
  for (uint32_t s = 0; s < sections; s++) {
    const size_t start = r.at();
    const uint32_t kind = r.next("section kind");
    const uint32_t length = r.next("section length");
    const size_t body = r.at();
    if (length > words - body) r.fail("section longer than the bytecode", start + 1);
    switch (kind) {
      case kSectionParticle:
        read_particle(r, b, b.particle, b.max_registers);
        break;
      case kSectionVelocity:
        read_particle(r, b, b.velocity, b.max_registers);
        break;
      case kSectionExternalEnergy:
        if (b.has_external_energy) r.fail("a second external energy section", start);
        b.has_external_energy = true;
        b.external_energy = read_program(r, Context::kParticle, {b.attributes, 0}, -1, b.max_registers);
        break;
      case kSectionPairs:
        read_pairs(r, b, b.max_registers);
        break;
      case kSectionBond:
        read_bond(r, b, b.max_registers);
        break;
      default:
        r.fail("unknown section kind " + std::to_string(kind), start);
    }
    if (r.at() != body + length) r.fail("section body is not as long as its length word says", start + 1);
  }
  if (r.at() != words) r.fail("words after the last section");
  return b;
}

}  // namespace interp
}  // namespace brokenrecord
