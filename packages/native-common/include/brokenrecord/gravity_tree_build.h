// The CPU build of the Barnes-Hut tree (the steps of gravity_tree.h in loops). build() is called
// by every thread of a team (an OpenMP parallel region) with its size and rank: each loop is split
// into contiguous shares, with team barriers between phases; a team of one runs everything alone,
// with no OpenMP construct at all (a library built without OpenMP passes 1, 0). Each loop's result
// depends only on its input, never on the split, so the tree is the same for every team size.
#ifndef BROKENRECORD_GRAVITY_TREE_BUILD_H
#define BROKENRECORD_GRAVITY_TREE_BUILD_H

#include <stddef.h>
#include <stdint.h>
#include <vector>
#include "gravity_tree.h"
#include "gravity_tree_walk.h"

namespace brokenrecord {

class GravityTreeBuilder {
 public:
  /**
   * Builds the tree of particles [0, n) (n >= 1). Every thread of a team of `threads` calls it,
   * `self` being its rank; it returns after a team barrier.
   */
  void build(const float* px, const float* py, const float* pz, const float* mass, size_t n, int threads, int self) {
    if (self == 0) {
      n_ = (uint32_t)n;
      resize_particles(threads);
    }
    barrier(threads);
    bounding_cube(px, py, pz, threads, self);
    // Keys, and which of their bytes vary (a constant byte needs no radix pass).
    {
      uint64_t any = 0, all = ~0ull;
      const Range r = share(threads, self);
      for (uint32_t i = r.lo; i < r.hi; i++) {
        const uint64_t key = tree_key(px[i], py[i], pz[i], cube_);
        keys_[i] = key;
        index_[i] = i;
        any |= key;
        all &= key;
      }
      key_or_[self] = any;
      key_and_[self] = all;
    }
    barrier(threads);
    sort_keys(threads, self);
    barrier(threads);
    // The sorted columns the walk reads.
    {
      const Range r = share(threads, self);
      for (uint32_t p = r.lo; p < r.hi; p++) {
        const uint32_t i = index_[p];
        xs_[p] = px[i];
        ys_[p] = py[i];
        zs_[p] = pz[i];
        ms_[p] = mass[i];
      }
    }
    barrier(threads);
    cells(threads, self);
    moments(threads, self);
  }

  uint32_t count() const { return n_; }
  /** Particle index of sorted position p. */
  const uint32_t* order() const { return index_.data(); }
  const TreeNode* nodes() const { return nodes_.data(); }
  size_t node_count() const { return nodes_.size(); }
  TreeWalkInput input(float eps2, float theta2) const {
    return TreeWalkInput{nodes_.data(), xs_.data(), ys_.data(), zs_.data(), ms_.data(), eps2, theta2};
  }

  void release() {
    for (auto* v : {&keys_, &keys_tmp_}) std::vector<uint64_t>().swap(*v);
    for (auto* v : {&index_, &index_tmp_, &begin_, &end_, &first_, &octants_, &child_count_, &levels_})
      std::vector<uint32_t>().swap(*v);
    std::vector<uint8_t>().swap(depth_);
    for (auto* v : {&xs_, &ys_, &zs_, &ms_}) std::vector<float>().swap(*v);
    std::vector<TreeMoments>().swap(moments_);
    std::vector<TreeNode>().swap(nodes_);
    n_ = 0;
  }

 private:
  struct Range {
    uint32_t lo, hi;
  };

  static void barrier(int threads) {
    if (threads > 1) {
#ifdef _OPENMP
#pragma omp barrier
#endif
    }
  }
  /** Thread `self`'s contiguous share of [0, n). */
  Range share(int threads, int self) const { return share_of(0, n_, threads, self); }
  static Range share_of(uint32_t lo, uint32_t hi, int threads, int self) {
    const uint64_t n = hi - lo;
    return Range{lo + (uint32_t)(n * self / threads), lo + (uint32_t)(n * (self + 1) / threads)};
  }

  void resize_particles(int threads) {
    if (keys_.size() < n_) {
      keys_.resize(n_);
      keys_tmp_.resize(n_);
      index_.resize(n_);
      index_tmp_.resize(n_);
      xs_.resize(n_);
      ys_.resize(n_);
      zs_.resize(n_);
      ms_.resize(n_);
    }
    key_or_.assign(threads, 0);
    key_and_.assign(threads, 0);
    histogram_.assign((size_t)threads * 256, 0);
    partial_.assign((size_t)threads * 8, 0.0);
  }

  /** Per-axis min and max of the positions (float values: exact whatever the order), then the cube. */
  void bounding_cube(const float* px, const float* py, const float* pz, int threads, int self) {
    const Range r = share(threads, self);
    double lo[3] = {px[0], py[0], pz[0]}, hi[3] = {px[0], py[0], pz[0]};
    const float* cols[3] = {px, py, pz};
    for (int k = 0; k < 3; k++) {
      for (uint32_t i = r.lo; i < r.hi; i++) {
        const double x = cols[k][i];
        lo[k] = x < lo[k] ? x : lo[k];
        hi[k] = x > hi[k] ? x : hi[k];
      }
      partial_[(size_t)self * 8 + k] = lo[k];
      partial_[(size_t)self * 8 + 3 + k] = hi[k];
    }
    barrier(threads);
    if (self == 0) {
      double l[3], h[3];
      for (int k = 0; k < 3; k++) {
        l[k] = partial_[k];
        h[k] = partial_[3 + k];
        for (int t = 1; t < threads; t++) {
          l[k] = partial_[(size_t)t * 8 + k] < l[k] ? partial_[(size_t)t * 8 + k] : l[k];
          h[k] = partial_[(size_t)t * 8 + 3 + k] > h[k] ? partial_[(size_t)t * 8 + 3 + k] : h[k];
        }
      }
      cube_ = tree_cube(l, h);
    }
    barrier(threads);
  }

  /**
   * Stable LSD radix sort of (key, index) by key, one byte per pass, skipping bytes every key
   * shares. Each thread counts and scatters its own contiguous share; offsets are digit-major then
   * thread order, so the result is the stable order for any team size.
   */
  void sort_keys(int threads, int self) {
    uint64_t any = 0, all = ~0ull;
    for (int t = 0; t < threads; t++) {
      any |= key_or_[t];
      all &= key_and_[t];
    }
    const uint64_t varying = any ^ all;
    uint64_t* keys = keys_.data();
    uint64_t* keys_out = keys_tmp_.data();
    uint32_t* index = index_.data();
    uint32_t* index_out = index_tmp_.data();
    const Range r = share(threads, self);
    for (int shift = 0; shift < 64; shift += 8) {
      if (((varying >> shift) & 0xffu) == 0) continue;
      uint32_t* counts = histogram_.data() + (size_t)self * 256;
      for (int d = 0; d < 256; d++) counts[d] = 0;
      for (uint32_t p = r.lo; p < r.hi; p++) counts[(keys[p] >> shift) & 0xffu]++;
      barrier(threads);
      if (self == 0) {
        uint32_t offset = 0;
        for (int d = 0; d < 256; d++) {
          for (int t = 0; t < threads; t++) {
            uint32_t& c = histogram_[(size_t)t * 256 + d];
            const uint32_t here = c;
            c = offset;
            offset += here;
          }
        }
      }
      barrier(threads);
      for (uint32_t p = r.lo; p < r.hi; p++) {
        const uint32_t slot = counts[(keys[p] >> shift) & 0xffu]++;
        keys_out[slot] = keys[p];
        index_out[slot] = index[p];
      }
      barrier(threads);
      uint64_t* kt = keys;
      keys = keys_out;
      keys_out = kt;
      uint32_t* it = index;
      index = index_out;
      index_out = it;
    }
    // The result sits in whichever buffer the last pass wrote (the caller's barrier follows).
    if (self == 0 && keys != keys_.data()) {
      keys_.swap(keys_tmp_);
      index_.swap(index_tmp_);
    }
  }

  /**
   * The cells, generation by generation: the children of one generation's splitting cells are the
   * next. A cell with a single non-empty octant is not a node: the search goes on one level deeper
   * in the same particle range (docs/physics.md: no chains of one-child nodes).
   */
  void cells(int threads, int self) {
    if (self == 0) {
      begin_.assign(1, 0);
      end_.assign(1, n_);
      depth_.assign(1, 0);
      levels_.assign(1, 0);
      levels_.push_back(1);
    }
    barrier(threads);
    for (size_t generation = 0;; generation++) {
      const uint32_t lo = levels_[generation], hi = levels_[generation + 1];
      if (lo == hi) break;
      if (self == 0) {
        child_count_.resize(hi);
        octants_.resize((size_t)(hi - lo) * 9);
      }
      barrier(threads);
      const Range cells = share_of(lo, hi, threads, self);
      for (uint32_t k = cells.lo; k < cells.hi; k++) {
        uint32_t* bounds = octants_.data() + (size_t)(k - lo) * 9;
        int depth = depth_[k];
        const uint32_t children = tree_split_cell(keys_.data(), begin_[k], end_[k], depth, bounds);
        depth_[k] = (uint8_t)depth;  // the level it splits at; its children start one deeper
        child_count_[k] = children;
      }
      barrier(threads);
      if (self == 0) {
        // First child of each cell: after every cell so far, in the order of the cells.
        uint32_t next = hi;
        first_.resize(hi);
        for (uint32_t k = lo; k < hi; k++) {
          first_[k] = next;
          next += child_count_[k];
        }
        begin_.resize(next);
        end_.resize(next);
        depth_.resize(next);
        levels_.push_back(next);
      }
      barrier(threads);
      for (uint32_t k = cells.lo; k < cells.hi; k++) {
        if (child_count_[k] == 0) continue;
        tree_write_children(octants_.data() + (size_t)(k - lo) * 9, first_[k], depth_[k], begin_.data(), end_.data(),
                            depth_.data());
      }
      barrier(threads);
    }
  }

  /** Moments and walk nodes, last generation first (a cell's children are the next generation). */
  void moments(int threads, int self) {
    const uint32_t total = levels_.back();
    if (self == 0) {
      moments_.resize(total);
      nodes_.resize(total);
      child_count_.resize(total, 0);  // the last level's cells are leaves
      first_.resize(total, 0);
    }
    barrier(threads);
    for (int generation = (int)levels_.size() - 2; generation >= 0; generation--) {
      const uint32_t lo = levels_[generation], hi = levels_[generation + 1];
      const Range cells = share_of(lo, hi, threads, self);
      for (uint32_t k = cells.lo; k < cells.hi; k++) {
        tree_cell_moments(k, begin_.data(), end_.data(), first_.data(), child_count_.data(), xs_.data(), ys_.data(),
                          zs_.data(), ms_.data(), moments_.data(), nodes_.data());
      }
      barrier(threads);
    }
  }

  uint32_t n_ = 0;
  TreeCube cube_{};
  std::vector<uint64_t> keys_, keys_tmp_;
  std::vector<uint32_t> index_, index_tmp_;
  std::vector<float> xs_, ys_, zs_, ms_;
  std::vector<double> partial_;
  std::vector<uint64_t> key_or_, key_and_;
  std::vector<uint32_t> histogram_;
  // Cells: particle range, children (first, count), octant bounds of one level (scratch).
  std::vector<uint32_t> begin_, end_, first_, child_count_, octants_;
  std::vector<uint8_t> depth_;    // the key level a cell's particles are split by (after collapsing)
  std::vector<uint32_t> levels_;  // cells of generation g are [levels_[g], levels_[g + 1])
  std::vector<TreeMoments> moments_;
  std::vector<TreeNode> nodes_;
};

}  // namespace brokenrecord

#endif  // BROKENRECORD_GRAVITY_TREE_BUILD_H
