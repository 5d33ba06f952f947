// Packing, pair ordering and the sweeps, shared by every instruction set (the narrow phase itself
// is in collisions_{scalar,avx2,avx512}.cpp).
#include "collisions.h"

namespace brokenrecord {

void pack_contacts(const Columns& c, const Grid& grid, const ContactBuffers& out, size_t lo, size_t hi) {
  const int32_t* order = grid.order();
  for (size_t k = lo; k < hi; k++) {
    const size_t i = (size_t)order[k];
    out.xs[k] = c.px[i];
    out.ys[k] = c.py[i];
    out.zs[k] = c.pz[i];
    out.rs[k] = c.radius[i];
  }
}

void ContactSolver::prepare(size_t chunks) {
  if (found_.size() < chunks) found_.resize(chunks);
  for (auto& list : found_) list.clear();
}

void ContactSolver::emit(void* sink, uint32_t i, uint32_t j) {
  auto* list = static_cast<std::vector<uint32_t>*>(sink);
  list->push_back(i);
  list->push_back(j);
}

bool ContactSolver::resolve(const Columns& c, double bounce) {
  const size_t n = c.n;
  // Counting sort by i (chunks hold grid order), then each particle's few partners by j.
  first_.assign(n + 1, 0);
  size_t count = 0;
  for (const auto& list : found_) {
    for (size_t k = 0; k < list.size(); k += 2) first_[list[k] + 1]++;
    count += list.size() / 2;
  }
  if (count == 0) return false;
  for (size_t i = 0; i < n; i++) first_[i + 1] += first_[i];
  partner_.resize(count);
  for (const auto& list : found_) {
    for (size_t k = 0; k < list.size(); k += 2) partner_[first_[list[k]]++] = list[k + 1];
  }
  pairs_.resize(count);
  size_t start = 0;
  for (size_t i = 0; i < n; i++) {
    const size_t end = first_[i];  // the scatter moved each start to the end of its run
    for (size_t a = start + 1; a < end; a++) {
      const uint32_t j = partner_[a];
      size_t b = a;
      for (; b > start && partner_[b - 1] > j; b--) partner_[b] = partner_[b - 1];
      partner_[b] = j;
    }
    for (size_t a = start; a < end; a++) {
      const uint32_t j = partner_[a];
      const double dx = (double)c.px[j] - (double)c.px[i], dy = (double)c.py[j] - (double)c.py[i],
                   dz = (double)c.pz[j] - (double)c.pz[i];
      // The narrow phase found them touching; the constants' own test cannot disagree.
      contact_pair_constants((unsigned)i, j, dx, dy, dz, c.radius[i], c.radius[j], c.mass[i], c.mass[j], pairs_[a]);
    }
    start = end;
  }
  return sweep_contact_pairs(pairs_.data(), count, c.vx, c.vy, c.vz, c.mass, bounce);
}

void ContactSolver::release() {
  std::vector<std::vector<uint32_t>>().swap(found_);
  std::vector<uint32_t>().swap(first_);
  std::vector<uint32_t>().swap(partner_);
  std::vector<ContactPair>().swap(pairs_);
}

}  // namespace brokenrecord
