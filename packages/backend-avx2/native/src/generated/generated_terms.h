// A system's expression terms as the step loop runs them: the GeneratedForces that evaluates them
// (a compiled object or the interpreter), what they read beyond the eight columns (attribute
// columns, bond tables, the exclusion lists, laid out as native-common's src/codegen/abi.ts
// GeneratedLayout says), and what the verlet cache must know about them.
#ifndef BROKENRECORD_GENERATED_TERMS_H
#define BROKENRECORD_GENERATED_TERMS_H

#include <stdint.h>

#include <brokenrecord/generated_forces.h>
#include <memory>
#include <vector>

namespace brokenrecord {

struct GeneratedTerms {
  std::shared_ptr<GeneratedForces> forces;
  /** Some term depends on positions only (external, pair, bond, fields without v): cached by verlet. */
  bool position = false;
  /** Some field reads vx vy vz: evaluated again at every kick. */
  bool velocity = false;
  /** A position term reads t: the verlet cache is valid only at the step it was computed for. */
  bool position_time = false;
  /** dt in double: step k starts at t = k * dt (docs/physics.md). */
  double dt = 0;

  // What br_gen_input points at besides the eight columns (set by setExtras, in layout order).
  std::vector<const float*> attributes;
  std::vector<uint32_t> bond_count;
  std::vector<const int32_t*> bond_i, bond_j;
  std::vector<const float*> bond_params;
  const uint32_t* ex_start = nullptr;
  const uint32_t* ex_list = nullptr;
  /** Changes whenever the bond tables change (the verlet cache keys on it). */
  double topology = 0;
};

}  // namespace brokenrecord

#endif
