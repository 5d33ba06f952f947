// The block loops of block_eval.h, included by one translation unit per instruction set
// (block_eval_base.cpp, block_eval_avx2.cpp) with BR_RUN_BLOCK naming its entry point: the same
// source, compiled with the flags of each ISA (and -ffp-contract=off everywhere), so every
// variant computes the same bits.
#include <math.h>

#include "block_eval.h"
#include "bytecode_format.h"

namespace brokenrecord {
namespace interp {

namespace {

// Cheap operations run over the whole block (a fixed trip count the compiler vectorises; lanes
// past `lanes` hold stale but harmless values); library calls only over the live lanes.
#define BR_LANES_ALL for (int l = 0; l < kLanes; l++)
#define BR_LANES_LIVE for (int l = 0; l < lanes; l++)

inline void unary(double* __restrict d, const double* __restrict a, uint32_t op, int lanes) {
  switch (op) {
    case kNeg:
      BR_LANES_ALL d[l] = -a[l];
      break;
    case kSqrt:
      BR_LANES_ALL d[l] = sqrt(a[l]);
      break;
    case kAbs:
      BR_LANES_ALL d[l] = fabs(a[l]);
      break;
    case kStep:
      BR_LANES_ALL d[l] = a[l] >= 0.0 ? 1.0 : 0.0;
      break;
    case kExp:
      BR_LANES_LIVE d[l] = exp(a[l]);
      break;
    case kLog:
      BR_LANES_LIVE d[l] = log(a[l]);
      break;
    case kSin:
      BR_LANES_LIVE d[l] = sin(a[l]);
      break;
    case kCos:
      BR_LANES_LIVE d[l] = cos(a[l]);
      break;
    case kTan:
      BR_LANES_LIVE d[l] = tan(a[l]);
      break;
    case kAsin:
      BR_LANES_LIVE d[l] = asin(a[l]);
      break;
    case kAcos:
      BR_LANES_LIVE d[l] = acos(a[l]);
      break;
    case kAtan:
      BR_LANES_LIVE d[l] = atan(a[l]);
      break;
    case kSinh:
      BR_LANES_LIVE d[l] = sinh(a[l]);
      break;
    case kCosh:
      BR_LANES_LIVE d[l] = cosh(a[l]);
      break;
    case kTanh:
      BR_LANES_LIVE d[l] = tanh(a[l]);
      break;
    case kErf:
      BR_LANES_LIVE d[l] = erf(a[l]);
      break;
    case kErfc:
      BR_LANES_LIVE d[l] = erfc(a[l]);
      break;
    case kFloor:
      BR_LANES_LIVE d[l] = floor(a[l]);
      break;
    case kCeil:
      BR_LANES_LIVE d[l] = ceil(a[l]);
      break;
  }
}

inline void binary(double* __restrict d, const double* __restrict a, const double* __restrict b, uint32_t op,
                   int lanes) {
  switch (op) {
    case kAdd:
      BR_LANES_ALL d[l] = a[l] + b[l];
      break;
    case kSub:
      BR_LANES_ALL d[l] = a[l] - b[l];
      break;
    case kMul:
      BR_LANES_ALL d[l] = a[l] * b[l];
      break;
    case kDiv:
      BR_LANES_ALL d[l] = a[l] / b[l];
      break;
    case kPow:
      BR_LANES_LIVE d[l] = pow(a[l], b[l]);
      break;
    case kMin:
      BR_LANES_LIVE d[l] = fmin(a[l], b[l]);
      break;
    case kMax:
      BR_LANES_LIVE d[l] = fmax(a[l], b[l]);
      break;
  }
}

inline void ternary(double* __restrict d, const double* __restrict c, const double* __restrict a,
                    const double* __restrict b, uint32_t op) {
  if (op == kSelect) {
    BR_LANES_ALL d[l] = c[l] != 0.0 ? a[l] : b[l];
  } else {
    BR_LANES_ALL d[l] = c[l] >= 0.0 ? a[l] : b[l];
  }
}

#undef BR_LANES_ALL
#undef BR_LANES_LIVE

/** Operands read by each opcode (a copy of op_arity: no inline function of a header is compiled with this TU's flags).
 */
int arity(uint32_t op) {
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
      return 1;
  }
}

}  // namespace

void BR_RUN_BLOCK(const Instruction* code, size_t count, double* regs, int lanes) {
  for (size_t k = 0; k < count; k++) {
    const Instruction& ins = code[k];
    double* d = regs + (size_t)ins.dst * kLanes;
    const double* a = regs + (size_t)ins.a * kLanes;
    const double* b = regs + (size_t)ins.b * kLanes;
    const double* c = regs + (size_t)ins.c * kLanes;
    // decode_bytecode checked the opcodes, the ranges, and that no destination is also an operand.
    switch (arity(ins.op)) {
      case 1:
        unary(d, a, ins.op, lanes);
        break;
      case 2:
        binary(d, a, b, ins.op, lanes);
        break;
      default:
        ternary(d, a, b, c, ins.op);
        break;
    }
  }
}

}  // namespace interp
}  // namespace brokenrecord
