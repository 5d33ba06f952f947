// Hard-sphere contacts on the device (docs/physics.md, "Collisions"): one thread per particle
// counts its pairs with larger partners, a CUB scan gives each particle's offset, a second launch
// writes the pairs; then one block resolves them: level rounds, a counting sort by level and the
// sweeps, level after level, with a block barrier between phases (the pairs of one level share no
// particle, so its threads never touch the same velocity). The host executor runs the same phases
// (physics/contact_levels.h) as loops.
#include <cub/device/device_scan.cuh>
#include "../physics/contact_levels.h"
#include "device_check.h"
#include "kernels.h"

namespace brokenrecord {

namespace {

constexpr int kBlock = 128;
constexpr int kResolveThreads = 1024;

__global__ void count_contacts_kernel(ContactInputs in, unsigned n, unsigned* counts) {
  const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i > n) return;
  CountContacts counted;
  if (i < n) for_each_contact(i, in, counted);
  counts[i] = counted.count;  // counts[n] = 0: the scan's last element is the total
}

__global__ void write_contacts_kernel(ContactInputs in, unsigned n, const unsigned* starts, ContactPair* pairs) {
  const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  WriteContacts write{pairs + starts[i]};
  for_each_contact(i, in, write);
}

struct AtomicMin {
  __device__ void operator()(unsigned* at, unsigned value) const { atomicMin(at, value); }
};

__global__ void __launch_bounds__(kResolveThreads)
    resolve_contacts_kernel(LevelBuffers b, DeviceState s, double bounce, unsigned long long* unresolved) {
  __shared__ unsigned left;
  __shared__ unsigned applied;
  const unsigned t = threadIdx.x, stride = blockDim.x, count = b.count;
  for (unsigned p = t; p < count; p += stride) b.level[p] = -1;
  for (unsigned p = t; p <= count; p += stride) b.level_start[p] = 0;
  __syncthreads();
  int levels = 0;
  for (;;) {
    for (unsigned p = t; p < count; p += stride) reset_partners(b, p);
    if (t == 0) left = 0;
    __syncthreads();
    for (unsigned p = t; p < count; p += stride) propose_level(b.pairs[p], b.level, p, b.min_partner, AtomicMin{});
    __syncthreads();
    for (unsigned p = t; p < count; p += stride) {
      if (!accept_level(b.pairs[p], b.level, p, b.min_partner, levels) && b.level[p] < 0) atomicAdd(&left, 1u);
    }
    __syncthreads();
    levels++;
    if (left == 0) break;  // read by every thread after the barrier: a uniform exit
    __syncthreads();       // nobody clears `left` for the next round before everyone has read it
  }
  // Counting sort by level: counts, an exclusive scan (one thread, levels <= count), a scatter
  // whose order within a level does not matter, then the starts shifted back.
  for (unsigned p = t; p < count; p += stride) atomicAdd(&b.level_start[b.level[p] + 1], 1u);
  __syncthreads();
  if (t == 0)
    for (int l = 0; l < levels; l++) b.level_start[l + 1] += b.level_start[l];
  __syncthreads();
  for (unsigned p = t; p < count; p += stride) b.by_level[atomicAdd(&b.level_start[b.level[p]], 1u)] = p;
  __syncthreads();
  if (t == 0) {
    for (int l = levels; l > 0; l--) b.level_start[l] = b.level_start[l - 1];
    b.level_start[0] = 0;
  }
  __syncthreads();
  for (int sweep = 0; sweep < BR_COLLISION_SWEEP_LIMIT; sweep++) {
    if (t == 0) applied = 0;
    __syncthreads();
    for (int l = 0; l < levels; l++) {
      unsigned mine = 0;
      for (unsigned slot = b.level_start[l] + t; slot < b.level_start[l + 1]; slot += stride) {
        mine += sweep_slot(b, slot, s.vx, s.vy, s.vz, s.mass, bounce) ? 1u : 0u;
      }
      if (mine) atomicAdd(&applied, mine);
      __syncthreads();  // this level's velocities are visible to the next level's threads
    }
    if (applied == 0) return;  // uniform: read after the last level's barrier
    __syncthreads();
  }
  if (t == 0) (*unresolved)++;
}

}  // namespace

size_t contact_scan_scratch_bytes(unsigned n) {
  size_t bytes = 0;
  check(cub::DeviceScan::ExclusiveSum(nullptr, bytes, (const unsigned*)nullptr, (unsigned*)nullptr, n + 1),
        "sizing the contact scan");
  return bytes;
}

unsigned find_contacts(const ContactInputs& in, unsigned n, const ContactScratch& c, cudaStream_t stream) {
  const unsigned blocks = (n + 1 + kBlock - 1) / kBlock;
  count_contacts_kernel<<<blocks, kBlock, 0, stream>>>(in, n, c.counts);
  check_launch("count_contacts_kernel");
  size_t bytes = c.scan_scratch_bytes;
  check(cub::DeviceScan::ExclusiveSum(c.scan_scratch, bytes, c.counts, c.starts, n + 1, stream),
        "scanning the contact counts");
  unsigned total = 0;
  check(cudaMemcpyAsync(&total, c.starts + n, sizeof total, cudaMemcpyDeviceToHost, stream),
        "reading the contact count");
  check(cudaStreamSynchronize(stream), "counting contacts");
  return total;
}

void write_contacts(const ContactInputs& in, unsigned n, const unsigned* starts, ContactPair* pairs,
                    cudaStream_t stream) {
  const unsigned blocks = (n + kBlock - 1) / kBlock;
  write_contacts_kernel<<<blocks, kBlock, 0, stream>>>(in, n, starts, pairs);
  check_launch("write_contacts_kernel");
}

void launch_resolve_contacts(const LevelBuffers& b, const DeviceState& s, double bounce, unsigned long long* unresolved,
                             cudaStream_t stream) {
  resolve_contacts_kernel<<<1, kResolveThreads, 0, stream>>>(b, s, bounce, unresolved);
  check_launch("resolve_contacts_kernel");
}

}  // namespace brokenrecord
