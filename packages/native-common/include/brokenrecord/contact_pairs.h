// Hard-sphere contacts of docs/physics.md ("Collisions"), written once for every native path:
// the touching pairs' constants, the exact binary impulse of one pair on the current velocities,
// the sequential sweeps (avx2 and the CUDA host executor) and the round that finds each pair's
// level for the parallel schedule (the CUDA kernels, emulated by the host executor). Double
// throughout from the float32 state, the reference's formula term by term, so every native path
// agrees with the TypeScript reference bit for bit.
#ifndef BROKENRECORD_CONTACT_PAIRS_H
#define BROKENRECORD_CONTACT_PAIRS_H

#include <stddef.h>
#include "physics.h"

namespace brokenrecord {

/** Most sweeps of one contact phase: core's COLLISION_SWEEP_LIMIT (a conformance case checks it). */
#define BR_COLLISION_SWEEP_LIMIT 64

/** A touching pair i < j: its unit normal n = d/|d| (i to j) and w = 1/m_i + 1/m_j, fixed for the phase. */
struct ContactPair {
  unsigned i, j;
  double nx, ny, nz, w;
};

/**
 * Whether spheres i and j (separation d = x_j - x_i, nearest image already taken) touch, and if
 * so their pair constants.
 */
BR_INLINE bool contact_pair_constants(unsigned i, unsigned j, double dx, double dy, double dz, double ri, double rj,
                                      double mi, double mj, ContactPair& p) {
  const double d2 = dx * dx + dy * dy + dz * dz;
  if (!touching(d2, ri + rj)) return false;
  const double dist = sqrt(d2);
  p.i = i;
  p.j = j;
  p.nx = dx / dist;
  p.ny = dy / dist;
  p.nz = dz / dist;
  p.w = 1.0 / mi + 1.0 / mj;
  return true;
}

/**
 * One pair's turn in a sweep: u = (v_j - v_i).n from the velocities as they are now; if the pair
 * approaches (u < 0), J = -(1 + e) u / w, v_i -= J n / m_i, v_j += J n / m_j, stored as float32
 * at once. Returns whether it applied an impulse.
 */
BR_INLINE bool apply_contact_impulse(const ContactPair& p, float* vx, float* vy, float* vz, const float* mass,
                                     double bounce) {
  const unsigned i = p.i, j = p.j;
  const double u = ((double)vx[j] - (double)vx[i]) * p.nx + ((double)vy[j] - (double)vy[i]) * p.ny +
                   ((double)vz[j] - (double)vz[i]) * p.nz;
  if (!(u < 0.0)) return false;
  const double J = (-bounce * u) / p.w;
  const double mi = mass[i], mj = mass[j];
  vx[i] = (float)((double)vx[i] - (J * p.nx) / mi);
  vy[i] = (float)((double)vy[i] - (J * p.ny) / mi);
  vz[i] = (float)((double)vz[i] - (J * p.nz) / mi);
  vx[j] = (float)((double)vx[j] + (J * p.nx) / mj);
  vy[j] = (float)((double)vy[j] + (J * p.ny) / mj);
  vz[j] = (float)((double)vz[j] + (J * p.nz) / mj);
  return true;
}

/**
 * The sequential sweeps over pairs in lexicographic (i, j) order, until a sweep applies no
 * impulse or BR_COLLISION_SWEEP_LIMIT ran. Returns true when the last sweep still applied one
 * (the step's contacts are unresolved).
 */
BR_INLINE bool sweep_contact_pairs(const ContactPair* pairs, size_t count, float* vx, float* vy, float* vz,
                                   const float* mass, double bounce) {
  for (int sweep = 0; sweep < BR_COLLISION_SWEEP_LIMIT; sweep++) {
    size_t applied = 0;
    for (size_t p = 0; p < count; p++) applied += apply_contact_impulse(pairs[p], vx, vy, vz, mass, bounce) ? 1 : 0;
    if (applied == 0) return false;
  }
  return true;
}

/** "No pair" in the level rounds' per-particle minimum (larger than any particle index). */
#define BR_NO_PARTNER 0xffffffffu

/**
 * Level rounds (docs/physics.md, "Parallel schedule"), per pair: a pair is levelled in the round
 * where it is the unlevelled pair of smallest partner index at both its particles. The first
 * half proposes: each unlevelled pair lowers min_partner[i] to j and min_partner[j] to i (MIN is
 * an atomic minimum on a GPU, a plain one on the host). The second half accepts.
 */
template <typename Min>
BR_INLINE void propose_level(const ContactPair& p, const int* level, size_t index, unsigned* min_partner, Min min) {
  if (level[index] >= 0) return;
  min(&min_partner[p.i], p.j);
  min(&min_partner[p.j], p.i);
}

/** Returns whether pair `index` got level `round` now. */
BR_INLINE bool accept_level(const ContactPair& p, int* level, size_t index, const unsigned* min_partner, int round) {
  if (level[index] >= 0) return false;
  if (min_partner[p.i] != p.j || min_partner[p.j] != p.i) return false;
  level[index] = round;
  return true;
}

}  // namespace brokenrecord

#endif  // BROKENRECORD_CONTACT_PAIRS_H
