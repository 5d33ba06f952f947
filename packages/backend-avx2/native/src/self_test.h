// A short run of every kernel of one table, checked against the scalar table. The probe calls it
// in a child process first: an illegal instruction there is a probe reason, not a crashed host.
#ifndef BROKENRECORD_SELF_TEST_H
#define BROKENRECORD_SELF_TEST_H

#include <string>
#include "kernels/kernel_table.h"

namespace brokenrecord {

/** "" when the table agrees with the scalar kernels, else what disagreed. */
std::string self_test(const KernelTable& kernels);

}  // namespace brokenrecord

#endif
