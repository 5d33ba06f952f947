// Picks the kernel table: the widest instruction set the CPU and the OS both support, or the one
// requested (scalar | avx2 | avx512), refusing a request this machine cannot run.
#ifndef BROKENRECORD_KERNEL_SELECT_H
#define BROKENRECORD_KERNEL_SELECT_H

#include <string>
#include "kernels/kernel_table.h"

namespace brokenrecord {

/** The best table for this machine. */
const KernelTable& best_kernels();
/** The named table ("" = best); nullptr with `why` set when this machine cannot run it. */
const KernelTable* kernels_named(const std::string& isa, std::string& why);
/** Names of the tables this machine can run, best last. */
std::string usable_isas();

}  // namespace brokenrecord

#endif
