// The parallel schedule of the hard-sphere sweeps (docs/physics.md, "Parallel schedule"), as the
// phases one block of device threads runs with a barrier after each, written once for the kernel
// and for the host executor, which runs each phase as a plain loop. Levels: rounds of
// reset / propose / accept until every pair has one; then a counting sort of the pairs by level;
// then sweeps, level after level (the pairs of one level share no particle).
#ifndef BROKENRECORD_CUDA_CONTACT_LEVELS_H
#define BROKENRECORD_CUDA_CONTACT_LEVELS_H

#include <brokenrecord/contact_pairs.h>

namespace brokenrecord {

/** What the phases read and write: the pairs, one level per pair, one minimum per particle. */
struct LevelBuffers {
  const ContactPair* pairs;
  unsigned count;
  int* level;             // count: -1 until levelled
  unsigned* min_partner;  // one per particle
  unsigned* level_start;  // count + 1: pairs of level l are by_level[level_start[l] .. level_start[l + 1])
  unsigned* by_level;     // count: pair indices grouped by level
};

/** Round phase 1, per pair: an unlevelled pair clears the minima of its two particles. */
BR_INLINE void reset_partners(const LevelBuffers& b, unsigned p) {
  if (b.level[p] >= 0) return;
  b.min_partner[b.pairs[p].i] = BR_NO_PARTNER;
  b.min_partner[b.pairs[p].j] = BR_NO_PARTNER;
}

/** Round phase 2 (propose_level) and 3 (accept_level) are in brokenrecord/contact_pairs.h. */

/** Sweep phase, per slot of one level: the pair's impulse. Returns whether it applied one. */
BR_INLINE bool sweep_slot(const LevelBuffers& b, unsigned slot, float* vx, float* vy, float* vz, const float* mass,
                          double bounce) {
  return apply_contact_impulse(b.pairs[b.by_level[slot]], vx, vy, vz, mass, bounce);
}

}  // namespace brokenrecord

#endif
