// The device contact grid: bucket key of every particle, a stable CUB radix sort of
// (key, index) pairs over only the key's bits, then bucket ranges from the sorted keys. Stable
// sorting gives the host executor's order, so both sum a particle's impulses in the same order.
#include <cub/device/device_radix_sort.cuh>
#include "device_check.h"
#include "kernels.h"

namespace brokenrecord {

namespace {

constexpr int kBlock = 256;

__global__ void bucket_keys_kernel(DeviceState s, GridShape shape, unsigned* keys, unsigned* order) {
  const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= s.n) return;
  keys[i] = bucket_of_particle(s.px[i], s.py[i], s.pz[i], shape);
  order[i] = i;
}

/** A bucket starts where the sorted key changes and ends where the next one starts. */
__global__ void bucket_ranges_kernel(const unsigned* keys, unsigned n, unsigned* begin, unsigned* end) {
  const unsigned s = blockIdx.x * blockDim.x + threadIdx.x;
  if (s >= n) return;
  const unsigned key = keys[s];
  if (s == 0 || keys[s - 1] != key) begin[key] = s;
  if (s + 1 == n || keys[s + 1] != key) end[key] = s + 1;
}

}  // namespace

size_t grid_sort_scratch_bytes(unsigned n) {
  size_t bytes = 0;
  check(cub::DeviceRadixSort::SortPairs(nullptr, bytes, (const unsigned*)nullptr, (unsigned*)nullptr,
                                        (const unsigned*)nullptr, (unsigned*)nullptr, n),
        "sizing the grid sort");
  return bytes;
}

void build_contact_grid(const DeviceState& s, const GridShape& shape, int key_bits, const GridBuffers& g,
                        cudaStream_t stream) {
  const unsigned blocks = (s.n + kBlock - 1) / kBlock;
  bucket_keys_kernel<<<blocks, kBlock, 0, stream>>>(s, shape, g.keys, g.order_in);
  check_launch("bucket_keys_kernel");
  size_t bytes = g.sort_scratch_bytes;
  check(cub::DeviceRadixSort::SortPairs(g.sort_scratch, bytes, g.keys, g.keys_sorted, g.order_in, g.order, s.n, 0,
                                        key_bits, stream),
        "sorting particles by grid bucket");
  // Empty buckets read begin == end == 0.
  const size_t buckets = (size_t)shape.mask + 1;
  check(cudaMemsetAsync(g.begin, 0, buckets * sizeof(unsigned), stream), "clearing the grid");
  check(cudaMemsetAsync(g.end, 0, buckets * sizeof(unsigned), stream), "clearing the grid");
  bucket_ranges_kernel<<<blocks, kBlock, 0, stream>>>(g.keys_sorted, s.n, g.begin, g.end);
  check_launch("bucket_ranges_kernel");
}

}  // namespace brokenrecord
