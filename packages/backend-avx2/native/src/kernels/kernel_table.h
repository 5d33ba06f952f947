// The kernels one instruction set provides. Each ISA's translation units fill one table
// (scalar, AVX2+FMA, AVX-512); the context picks a table at run time from CPUID + XGETBV.
// Only plain pointers and numbers cross this boundary: no library types whose inline functions
// could be compiled with one ISA's flags and shared with another.
#ifndef BROKENRECORD_KERNELS_KERNEL_TABLE_H
#define BROKENRECORD_KERNELS_KERNEL_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <brokenrecord/contacts.h>
#include <brokenrecord/gravity_tree_walk.h>
#include <brokenrecord/physics.h>

namespace brokenrecord {

/** One axis of the per-particle rules (uniform gravity, drag, bounds) for particles [lo, hi). */
struct AxisArgs {
  float* x;        // position column of this axis
  float* v;        // velocity column
  float* a;        // acceleration scratch, one float per particle
  const float* f;  // pairwise gravity accelerations of this axis, or nullptr without that rule
  const float* r;  // radius column (read only when walls are on)
  size_t lo, hi;
  float g;  // summed uniform gravity along this axis
  float k;  // summed drag coefficient
  float dt;
  float half;   // dt / 2 (verlet half kicks)
  bool active;  // some force acts along this axis (g != 0, drag or pairwise gravity)
  bool drag;    // k != 0
  bool walls;   // a bounds rule exists
  AxisWalls w;
};

/**
 * pairwiseGravity for targets [lo, hi): f_i = float(G * S_i) for the first pairwise rule,
 * f_i = float(f_i + G * S_i) for later ones, S_i = sum_{j != i} m_j d / (|d|^2 + eps^2)^{3/2}.
 */
struct GravityArgs {
  const float *px, *py, *pz, *m;
  size_t n;
  float eps2;
  double G;
  bool first;
  float *fx, *fy, *fz;
  size_t lo, hi;
};

class Grid;

/**
 * What the collision narrow phase reads, as plain pointers (built by the stepper): positions and
 * radii copied in grid-slot order (candidates of a cell row are contiguous, for the vectorised
 * contact test). Each touching pair (i, j), i < j, is handed to `emit` (a baseline function that
 * stores it), so no container code is compiled with a wider instruction set.
 */
struct ContactView {
  const Grid* grid;                 // neighbour_ranges (compiled in a baseline unit)
  const int32_t* order;             // slot -> particle index
  const int32_t* cell_of;           // particle index -> cell
  const double *xs, *ys, *zs, *rs;  // by slot
  void (*emit)(void* sink, uint32_t i, uint32_t j);
};

/**
 * What the soft-sphere contact kernel reads (docs/physics.md, "Soft-sphere contacts"): the grid,
 * positions and radii by slot (as ContactView), the state's velocities and masses by particle
 * index, and where each particle's contact acceleration goes (double, by particle index).
 */
struct ContactForceView {
  const Grid* grid;
  const int32_t* order;
  const int32_t* cell_of;
  const double *xs, *ys, *zs, *rs;
  const float *vx, *vy, *vz, *mass;
  ContactLaw law;
  double *ax, *ay, *az;  // out: sum of contact forces / m_i
};

struct KernelTable {
  const char* isa;
  /** All `steps` of the per-particle integrator, the three axes of particles [lo, hi) together
   *  (step fusion; only for systems without pairwise forces or collisions). */
  void (*fused)(const AxisArgs (&p)[3], int steps, bool verlet);
  /** a = (g - k*v) + f on one axis (writes `a`; skipped by the caller on inactive axes). */
  void (*local_forces_axis)(const AxisArgs& p);
  /** v += a*h on one axis. */
  void (*kick_axis)(const AxisArgs& p, float h);
  /** Contact-phase walls (if any), drift, then the walls clamp, on one axis. */
  void (*walls_drift_axis)(const AxisArgs& p);
  /** Adds pairwise gravity of every particle to the targets [lo, hi). */
  void (*pairwise_gravity)(const GravityArgs& g);
  /** The touching pairs (i, j > i) of the particles in grid slots [lo, hi), handed to view.emit(sink, i, j). */
  void (*find_contacts)(const ContactView& view, void* sink, size_t lo, size_t hi);
  /** Soft-sphere contact accelerations of the particles in grid slots [lo, hi). */
  void (*contact_forces)(const ContactForceView& view, size_t lo, size_t hi);
  /** Tree walks of the sorted positions [lo, hi): accelerations and (phi not null) potentials without G. */
  void (*gravity_tree)(const TreeWalkInput& in, uint32_t lo, uint32_t hi, float* ax, float* ay, float* az, float* phi);
};

extern const KernelTable kScalarKernels;
#ifdef BROKENRECORD_HAVE_X86_KERNELS
extern const KernelTable kAvx2Kernels;
extern const KernelTable kAvx512Kernels;
#endif

}  // namespace brokenrecord

#endif
