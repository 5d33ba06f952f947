// The interpreter's bytecode format: the numbers src/codegen/bytecode.ts writes (a test compares
// this file's values, exported by interpreterFormat(), with that file's). Change both, and the
// version, together.
#ifndef BROKENRECORD_INTERP_BYTECODE_FORMAT_H
#define BROKENRECORD_INTERP_BYTECODE_FORMAT_H

#include <stdint.h>

namespace brokenrecord {
namespace interp {

constexpr uint32_t kMagic = 0x43425242u;  // "BRBC" as a little-endian uint32
constexpr uint32_t kVersion = 1;

enum Section : uint32_t {
  kSectionParticle = 1,
  kSectionVelocity = 2,
  kSectionExternalEnergy = 3,
  kSectionPairs = 4,
  kSectionBond = 5
};
enum PairMode : uint32_t { kPairGrid = 0, kPairAll = 1 };

enum Op : uint32_t {
  kNeg = 1,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kPow,
  kSqrt,
  kExp,
  kLog,
  kSin,
  kCos,
  kTan,
  kAsin,
  kAcos,
  kAtan,
  kSinh,
  kCosh,
  kTanh,
  kErf,
  kErfc,
  kAbs,
  kStep,
  kFloor,
  kCeil,
  kMin,
  kMax,
  kSelect,             // c != 0 ? a : b
  kSelectNonNegative,  // c >= 0 ? a : b
  kOpEnd
};

/** Operands each opcode reads (a, b, c in order). */
inline int op_arity(uint32_t op) {
  switch (op) {
    case kAdd:
    case kSub:
    case kMul:
    case kDiv:
    case kPow:
    case kMin:
    case kMax:
      return 2;
    case kSelect:
    case kSelectNonNegative:
      return 3;
    default:
      return op >= kNeg && op < kOpEnd ? 1 : -1;
  }
}

enum Source : uint32_t {
  // Particle programs: particle i.
  kPx = 0,
  kPy = 1,
  kPz = 2,
  kVx = 3,
  kVy = 4,
  kVz = 5,
  kMass = 6,
  kRadius = 7,
  kTime = 8,
  kAttribute = 9,
  // Two-body programs: the pair (i, j), or bond b of one table.
  kR = 16,
  kMass1 = 17,
  kMass2 = 18,
  kRadius1 = 19,
  kRadius2 = 20,
  kAttribute1 = 21,
  kAttribute2 = 22,
  kBondParam = 23,
};

}  // namespace interp
}  // namespace brokenrecord

#endif
