// Host-side launchers of the device kernels (one .cu file each). All launch on `stream` without
// synchronizing, so a run of n steps queues every launch from one native call.
#ifndef BROKENRECORD_CUDA_DEVICE_KERNELS_H
#define BROKENRECORD_CUDA_DEVICE_KERNELS_H

#include <cuda_runtime.h>
#include "../physics/contact_grid.h"
#include "../physics/contact_levels.h"
#include "../physics/cuda_plan.h"

namespace brokenrecord {

/** The state columns in device memory. */
struct DeviceState {
  float *px, *py, *pz, *vx, *vy, *vz, *mass, *radius;
  unsigned n;
};

/** Per-particle-only systems: every particle through all `steps` in registers. */
void launch_advance_alone(const MotionPlan& plan, const DeviceState& s, int steps, cudaStream_t stream);
/** v += ((g - k*v) + f)*h; f (three columns) may be null. */
void launch_kick(const MotionPlan& plan, const DeviceState& s, const float* fx, const float* fy, const float* fz,
                 float h, cudaStream_t stream);
/** Walls, drift, clamp. */
void launch_walls_and_drift(const MotionPlan& plan, const DeviceState& s, cudaStream_t stream);

/** f (= or +=, `first`) G * all-pairs gravity of the current positions, tiled in shared memory. */
void launch_pairwise_gravity(const DeviceState& s, const PairwiseTerm& term, bool first, float* fx, float* fy,
                             float* fz, cudaStream_t stream);

/** Scratch of the contact grid (device memory, sized by the executor). */
struct GridBuffers {
  unsigned *keys, *keys_sorted, *order_in, *order;  // n each
  unsigned *begin, *end;                            // buckets each
  void* sort_scratch;
  size_t sort_scratch_bytes;
};
/** Bytes of CUB scratch the sort of n keys needs. */
size_t grid_sort_scratch_bytes(unsigned n);
/** Bucket of every particle, stable sort by bucket, bucket ranges. */
void build_contact_grid(const DeviceState& s, const GridShape& shape, int key_bits, const GridBuffers& g,
                        cudaStream_t stream);

/** Scratch of the contact search (device memory, sized by the executor). */
struct ContactScratch {
  unsigned *counts, *starts;  // n + 1 each
  void* scan_scratch;
  size_t scan_scratch_bytes;
};
/** Bytes of CUB scratch the scan of n + 1 counts needs. */
size_t contact_scan_scratch_bytes(unsigned n);
/** Counts every particle's pairs with larger partners, scans them into c.starts; returns the total (synchronizes). */
unsigned find_contacts(const ContactInputs& in, unsigned n, const ContactScratch& c, cudaStream_t stream);
/** Writes each particle's pairs at its offset. */
void write_contacts(const ContactInputs& in, unsigned n, const unsigned* starts, ContactPair* pairs,
                    cudaStream_t stream);
/** One block: levels, sweeps (physics/contact_levels.h); adds 1 to *unresolved when the sweep limit is reached. */
void launch_resolve_contacts(const LevelBuffers& b, const DeviceState& s, double bounce, unsigned long long* unresolved,
                             cudaStream_t stream);

/** Soft-sphere contact accelerations of every particle (physics/soft_contacts.h) into contact[3]. */
void launch_contact_forces(const DeviceState& s, const ContactInputs& in, const ContactLaw& law,
                           double* const (&contact)[3], cudaStream_t stream);
/** The kick with contacts: v += ((g - k*v) + f + contact + terms)*h; f and terms (three columns each) may be null. */
void launch_kick_contacts(const MotionPlan& plan, const DeviceState& s, const float* const (&f)[3],
                          const double* const (&contact)[3], const double* const (&terms)[3], float h,
                          cudaStream_t stream);
/** Per particle i, the energy of its overlaps with j > i (diagnostics sum the rows in index order). */
void launch_contact_energy(const DeviceState& s, const ContactInputs& in, const ContactLaw& law, double* rows,
                           cudaStream_t stream);

/** Blocks of the diagnostics kernel for n particles. */
unsigned diagnostics_blocks(unsigned n);
/**
 * Block sums of the kMoments values into `partials` (blocks x kMoments): the moments when
 * `with_moments`, plus the potential of `rule` when there is one.
 */
void launch_diagnostics(const DeviceState& s, bool with_moments, const PotentialRule* rule, double* partials,
                        cudaStream_t stream);

/**
 * The smallest index of a particle with a non-finite position or velocity into `*first` (device
 * memory), or 0xffffffff when there is none.
 */
void launch_first_non_finite(const DeviceState& s, unsigned* first, cudaStream_t stream);

}  // namespace brokenrecord

#endif
