// The device tree of gravity_tree_device.h: one thread per particle or per cell, each running a
// function of brokenrecord/gravity_tree.h / gravity_tree_walk.h.
#include <cub/device/device_radix_sort.cuh>
#include <cub/device/device_reduce.cuh>
#include <cub/device/device_scan.cuh>
#include <algorithm>
#include <vector>
#include <brokenrecord/gravity_tree_walk.h>
#include "../physics/gravity_tile.h"
#include "gravity_tree_device.h"

namespace brokenrecord {

namespace {

constexpr unsigned kBlock = 256;
// The walk's stack lives in local memory: smaller blocks keep more of it in cache.
constexpr unsigned kWalkBlock = 128;

unsigned blocks_for(unsigned n, unsigned block) { return (n + block - 1) / block; }

struct MinOp {
  __device__ float operator()(float a, float b) const { return b < a ? b : a; }
};
struct MaxOp {
  __device__ float operator()(float a, float b) const { return b > a ? b : a; }
};

__global__ void keys_kernel(DeviceState s, TreeCube cube, uint64_t* keys, uint32_t* index) {
  const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= s.n) return;
  keys[i] = tree_key(s.px[i], s.py[i], s.pz[i], cube);
  index[i] = i;
}

__global__ void gather_kernel(DeviceState s, const uint32_t* order, float* xs, float* ys, float* zs, float* ms) {
  const unsigned p = blockIdx.x * blockDim.x + threadIdx.x;
  if (p >= s.n) return;
  const uint32_t i = order[p];
  xs[p] = s.px[i];
  ys[p] = s.py[i];
  zs[p] = s.pz[i];
  ms[p] = s.mass[i];
}

__global__ void root_kernel(unsigned n, uint32_t* begin, uint32_t* end, uint8_t* depth) {
  begin[0] = 0;
  end[0] = n;
  depth[0] = 0;
}

__global__ void split_kernel(const uint64_t* keys, uint32_t lo, uint32_t hi, const uint32_t* begin, const uint32_t* end,
                             uint8_t* depth, uint32_t* child_count, uint32_t* octants) {
  const uint32_t k = lo + blockIdx.x * blockDim.x + threadIdx.x;
  if (k >= hi) return;
  int d = depth[k];
  child_count[k] = tree_split_cell(keys, begin[k], end[k], d, octants + (size_t)(k - lo) * 9);
  depth[k] = (uint8_t)d;
}

/** first[k] holds the exclusive scan of the child counts; children are numbered from hi on. */
__global__ void children_kernel(uint32_t lo, uint32_t hi, const uint32_t* child_count, const uint32_t* octants,
                                uint32_t* first, uint32_t* begin, uint32_t* end, uint8_t* depth) {
  const uint32_t k = lo + blockIdx.x * blockDim.x + threadIdx.x;
  if (k >= hi) return;
  first[k] += hi;
  if (child_count[k] > 0) tree_write_children(octants + (size_t)(k - lo) * 9, first[k], depth[k], begin, end, depth);
}

__global__ void moments_kernel(uint32_t lo, uint32_t hi, const uint32_t* begin, const uint32_t* end,
                               const uint32_t* first, const uint32_t* child_count, const float* xs, const float* ys,
                               const float* zs, const float* ms, TreeMoments* moments, TreeNode* nodes) {
  const uint32_t k = lo + blockIdx.x * blockDim.x + threadIdx.x;
  if (k >= hi) return;
  tree_cell_moments(k, begin, end, first, child_count, xs, ys, zs, ms, moments, nodes);
}

__global__ void __launch_bounds__(kWalkBlock) walk_kernel(TreeWalkInput in, unsigned n, const uint32_t* order, double G,
                                                          bool first, float* fx, float* fy, float* fz) {
  const unsigned p = blockIdx.x * blockDim.x + threadIdx.x;
  if (p >= n) return;
  const TreeSums<TreeScalarLanes> s = tree_walk<TreeScalarLanes, false>(in, p, 1u, in.xs[p], in.ys[p], in.zs[p]);
  const uint32_t i = order[p];
  fx[i] = gravity_total(G, s.ax, first, first ? 0.0f : fx[i]);
  fy[i] = gravity_total(G, s.ay, first, first ? 0.0f : fy[i]);
  fz[i] = gravity_total(G, s.az, first, first ? 0.0f : fz[i]);
}

__global__ void __launch_bounds__(kWalkBlock) energy_kernel(TreeWalkInput in, unsigned n, double* energy) {
  const unsigned p = blockIdx.x * blockDim.x + threadIdx.x;
  if (p >= n) return;
  const TreeSums<TreeScalarLanes> s = tree_walk<TreeScalarLanes, true>(in, p, 1u, in.xs[p], in.ys[p], in.zs[p]);
  energy[p] = (double)in.ms[p] * s.phi;
}

}  // namespace

void DeviceGravityTree::reserve(unsigned n) {
  if (n <= capacity_) return;
  const size_t cells = 2 * (size_t)n;
  keys_.reserve(n, "allocating the gravity tree");
  keys_sorted_.reserve(n, "allocating the gravity tree");
  for (auto* a : {&index_, &order_}) a->reserve(n, "allocating the gravity tree");
  for (auto* a : {&xs_, &ys_, &zs_, &ms_, &phi_}) a->reserve(n, "allocating the gravity tree");
  box_.reserve(6, "allocating the gravity tree");
  energy_.reserve(n, "allocating the gravity tree");
  for (auto* a : {&begin_, &end_, &first_, &child_count_}) a->reserve(cells, "allocating the gravity tree");
  octants_.reserve(9 * (size_t)n, "allocating the gravity tree");
  depth_.reserve(cells, "allocating the gravity tree");
  moments_.reserve(cells, "allocating the gravity tree");
  nodes_.reserve(cells, "allocating the gravity tree");
  size_t sort = 0, scan = 0, reduce = 0;
  check(cub::DeviceRadixSort::SortPairs(nullptr, sort, (const uint64_t*)nullptr, (uint64_t*)nullptr,
                                        (const uint32_t*)nullptr, (uint32_t*)nullptr, (int)n, 0, 63),
        "sizing the tree's key sort");
  check(cub::DeviceScan::ExclusiveSum(nullptr, scan, (const uint32_t*)nullptr, (uint32_t*)nullptr, (int)n),
        "sizing the tree's scan");
  check(cub::DeviceReduce::Reduce(nullptr, reduce, (const float*)nullptr, (float*)nullptr, (int)n, MinOp(), 0.0f),
        "sizing the tree's bounding box");
  scratch_bytes_ = std::max(std::max(sort, scan), reduce);
  scratch_.reserve(std::max<size_t>(scratch_bytes_, 1), "allocating the gravity tree");
  capacity_ = n;
}

void DeviceGravityTree::build(const DeviceState& s, cudaStream_t stream) {
  n_ = s.n;
  reserve(n_);
  // Bounding box: float min and max per axis (exact in any order), then the cube on the host.
  const float* axes[3] = {s.px, s.py, s.pz};
  for (int k = 0; k < 3; k++) {
    size_t bytes = scratch_bytes_;
    check(cub::DeviceReduce::Reduce(scratch_.get(), bytes, axes[k], box_.get() + k, (int)n_, MinOp(), INFINITY, stream),
          "the tree's bounding box");
    bytes = scratch_bytes_;
    check(cub::DeviceReduce::Reduce(scratch_.get(), bytes, axes[k], box_.get() + 3 + k, (int)n_, MaxOp(), -INFINITY,
                                    stream),
          "the tree's bounding box");
  }
  float box[6];
  check(cudaMemcpyAsync(box, box_.get(), sizeof box, cudaMemcpyDeviceToHost, stream), "reading the tree's box");
  check(cudaStreamSynchronize(stream), "the tree's bounding box");
  const double lo[3] = {box[0], box[1], box[2]}, hi[3] = {box[3], box[4], box[5]};
  const TreeCube cube = tree_cube(lo, hi);

  keys_kernel<<<blocks_for(n_, kBlock), kBlock, 0, stream>>>(s, cube, keys_.get(), index_.get());
  check_launch("tree keys_kernel");
  size_t bytes = scratch_bytes_;
  check(cub::DeviceRadixSort::SortPairs(scratch_.get(), bytes, keys_.get(), keys_sorted_.get(), index_.get(),
                                        order_.get(), (int)n_, 0, 63, stream),
        "sorting the tree's keys");
  gather_kernel<<<blocks_for(n_, kBlock), kBlock, 0, stream>>>(s, order_.get(), xs_.get(), ys_.get(), zs_.get(),
                                                               ms_.get());
  check_launch("tree gather_kernel");

  root_kernel<<<1, 1, 0, stream>>>(n_, begin_.get(), end_.get(), depth_.get());
  check_launch("tree root_kernel");
  levels_.assign({0u, 1u});
  for (size_t g = 0;; g++) {
    const uint32_t lo_cell = levels_[g], hi_cell = levels_[g + 1];
    if (lo_cell == hi_cell) break;
    const unsigned count = hi_cell - lo_cell;
    split_kernel<<<blocks_for(count, kBlock), kBlock, 0, stream>>>(keys_sorted_.get(), lo_cell, hi_cell, begin_.get(),
                                                                   end_.get(), depth_.get(), child_count_.get(),
                                                                   octants_.get());
    check_launch("tree split_kernel");
    bytes = scratch_bytes_;
    check(cub::DeviceScan::ExclusiveSum(scratch_.get(), bytes, child_count_.get() + lo_cell, first_.get() + lo_cell,
                                        (int)count, stream),
          "numbering the tree's cells");
    uint32_t tail[2];
    check(cudaMemcpyAsync(&tail[0], first_.get() + hi_cell - 1, sizeof(uint32_t), cudaMemcpyDeviceToHost, stream),
          "reading the tree's cell count");
    check(cudaMemcpyAsync(&tail[1], child_count_.get() + hi_cell - 1, sizeof(uint32_t), cudaMemcpyDeviceToHost, stream),
          "reading the tree's cell count");
    children_kernel<<<blocks_for(count, kBlock), kBlock, 0, stream>>>(
        lo_cell, hi_cell, child_count_.get(), octants_.get(), first_.get(), begin_.get(), end_.get(), depth_.get());
    check_launch("tree children_kernel");
    check(cudaStreamSynchronize(stream), "building the tree's cells");
    levels_.push_back(hi_cell + tail[0] + tail[1]);
  }
  for (int g = (int)levels_.size() - 2; g >= 0; g--) {
    const uint32_t lo_cell = levels_[g], hi_cell = levels_[g + 1];
    if (lo_cell == hi_cell) continue;
    moments_kernel<<<blocks_for(hi_cell - lo_cell, kBlock), kBlock, 0, stream>>>(
        lo_cell, hi_cell, begin_.get(), end_.get(), first_.get(), child_count_.get(), xs_.get(), ys_.get(), zs_.get(),
        ms_.get(), moments_.get(), nodes_.get());
    check_launch("tree moments_kernel");
  }
}

void DeviceGravityTree::add_term(const PairwiseTerm& term, bool first, float* fx, float* fy, float* fz,
                                 cudaStream_t stream) {
  const TreeWalkInput in{
      nodes_.get(), xs_.get(), ys_.get(), zs_.get(), ms_.get(), term.eps2, (float)(term.theta * term.theta)};
  walk_kernel<<<blocks_for(n_, kWalkBlock), kWalkBlock, 0, stream>>>(in, n_, order_.get(), term.G, first, fx, fy, fz);
  check_launch("tree walk_kernel");
}

double DeviceGravityTree::potential(const DeviceState& s, const PotentialRule& rule, cudaStream_t stream) {
  if (s.n < 2) return 0.0;
  build(s, stream);
  const TreeWalkInput in{
      nodes_.get(), xs_.get(), ys_.get(), zs_.get(), ms_.get(), (float)rule.eps2, (float)(rule.theta * rule.theta)};
  energy_kernel<<<blocks_for(n_, kWalkBlock), kWalkBlock, 0, stream>>>(in, n_, energy_.get());
  check_launch("tree energy_kernel");
  std::vector<double> energy(n_);
  check(cudaMemcpyAsync(energy.data(), energy_.get(), n_ * sizeof(double), cudaMemcpyDeviceToHost, stream),
        "reading the tree's potential");
  check(cudaStreamSynchronize(stream), "computing the tree's potential");
  // In sorted order on the host: the CPU's sum, bit for bit.
  double sum = 0;
  for (double e : energy) sum += e;
  return 0.5 * rule.G * sum;
}

}  // namespace brokenrecord
