// Assembles each instruction set's kernels into a KernelTable. Compiled with baseline flags: it
// only takes addresses, so nothing here executes an AVX instruction.
#include "kernel_table.h"

namespace brokenrecord {

#define BR_DECLARE_KERNELS(suffix)                                                                               \
  void fused_##suffix(const AxisArgs(&p)[3], int steps, bool verlet);                                            \
  void local_forces_axis_##suffix(const AxisArgs& p);                                                            \
  void kick_axis_##suffix(const AxisArgs& p, float h);                                                           \
  void walls_drift_axis_##suffix(const AxisArgs& p);                                                             \
  void pairwise_gravity_##suffix(const GravityArgs& g);                                                          \
  void find_contacts_##suffix(const ContactView& view, void* sink, size_t lo, size_t hi);                        \
  void contact_forces_##suffix(const ContactForceView& view, size_t lo, size_t hi);                              \
  void gravity_tree_##suffix(const TreeWalkInput& in, uint32_t lo, uint32_t hi, float* ax, float* ay, float* az, \
                             float* phi);

#define BR_KERNEL_TABLE(suffix)                                                                           \
  {                                                                                                       \
#suffix, fused_##suffix, local_forces_axis_##suffix, kick_axis_##suffix, walls_drift_axis_##suffix,   \
        pairwise_gravity_##suffix, find_contacts_##suffix, contact_forces_##suffix, gravity_tree_##suffix \
  }

BR_DECLARE_KERNELS(scalar)
const KernelTable kScalarKernels = BR_KERNEL_TABLE(scalar);

#ifdef BROKENRECORD_HAVE_X86_KERNELS
BR_DECLARE_KERNELS(avx2)
BR_DECLARE_KERNELS(avx512)
const KernelTable kAvx2Kernels = BR_KERNEL_TABLE(avx2);
const KernelTable kAvx512Kernels = BR_KERNEL_TABLE(avx512);
#endif

}  // namespace brokenrecord
