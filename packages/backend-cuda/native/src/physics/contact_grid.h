// The collision broadphase: a spatial hash of cells of size >= 2*r_max. Particles are sorted by
// bucket (stably, so host and device see the same order); a particle scans the 27 cells around
// its own. Buckets may hold several cells (hash collisions) and two of the 27 cells may share a
// bucket, so a candidate counts only when its own cell is exactly the cell being scanned: every
// true neighbour is then visited exactly once, and the pair set equals brute force.
#ifndef BROKENRECORD_CUDA_CONTACT_GRID_H
#define BROKENRECORD_CUDA_CONTACT_GRID_H

#include <math.h>
#include <brokenrecord/contact_pairs.h>

namespace brokenrecord {

struct GridShape {
  double inv_cell;  // 1 / cell size
  unsigned mask;    // buckets - 1 (a power of two minus one)
};

/**
 * Cell size from the largest radius: 2*r_max widened by 2^-20 so that the rounding of x/cell
 * can never put two touching spheres (|dx| < r_i + r_j <= 2*r_max) more than one cell apart.
 */
inline double cell_size_for(double r_max) { return 2.0 * r_max * (1.0 + 1.0 / 1048576.0); }

/** Integer cell along one axis; clamped so that far-away coordinates cannot overflow. */
BR_INLINE long long cell_of(float x, double inv_cell) {
  double c = floor((double)x * inv_cell);
  const double limit = 4611686018427387904.0;  // 2^62
  c = c < -limit ? -limit : c > limit ? limit : c;
  return (long long)c;
}

BR_INLINE unsigned bucket_of(long long cx, long long cy, long long cz, unsigned mask) {
  unsigned long long h = (unsigned long long)cx * 73856093ull ^ (unsigned long long)cy * 19349663ull ^
                         (unsigned long long)cz * 83492791ull;
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 32;
  return (unsigned)h & mask;
}

BR_INLINE unsigned bucket_of_particle(float x, float y, float z, const GridShape& g) {
  return bucket_of(cell_of(x, g.inv_cell), cell_of(y, g.inv_cell), cell_of(z, g.inv_cell), g.mask);
}

/** The sorted grid and the state the contact kernels read (velocities: the soft-sphere damping). */
struct ContactInputs {
  GridShape shape;
  const unsigned* order;         // particle indices sorted by bucket, stable
  const unsigned* bucket_begin;  // first slot of each bucket in `order`
  const unsigned* bucket_end;    // one past its last slot (begin == end: empty)
  const float *px, *py, *pz, *vx, *vy, *vz, *mass, *radius;
  double bounce;  // 1 + restitution
};

/**
 * The touching pairs (i, j) with j > i of particle i (27-cell scan), in the grid's order, with
 * their constants: `out` receives each through out(pair). Where the pairs of particle i land is
 * the caller's business (a count first, then a fill at the particle's offset).
 */
template <typename Out>
BR_INLINE void for_each_contact(unsigned i, const ContactInputs& in, Out& out) {
  const float xi = in.px[i], yi = in.py[i], zi = in.pz[i];
  const long long cx = cell_of(xi, in.shape.inv_cell), cy = cell_of(yi, in.shape.inv_cell),
                  cz = cell_of(zi, in.shape.inv_cell);
  const double mi = in.mass[i], ri = in.radius[i];
  for (int oz = -1; oz <= 1; oz++) {
    for (int oy = -1; oy <= 1; oy++) {
      for (int ox = -1; ox <= 1; ox++) {
        const long long nx = cx + ox, ny = cy + oy, nz = cz + oz;
        const unsigned b = bucket_of(nx, ny, nz, in.shape.mask);
        for (unsigned s = in.bucket_begin[b]; s < in.bucket_end[b]; s++) {
          const unsigned j = in.order[s];
          if (j <= i) continue;
          const float xj = in.px[j], yj = in.py[j], zj = in.pz[j];
          if (cell_of(xj, in.shape.inv_cell) != nx || cell_of(yj, in.shape.inv_cell) != ny ||
              cell_of(zj, in.shape.inv_cell) != nz) {
            continue;  // another cell hashed into this bucket
          }
          ContactPair p;
          if (contact_pair_constants(i, j, (double)xj - (double)xi, (double)yj - (double)yi, (double)zj - (double)zi,
                                     ri, in.radius[j], mi, in.mass[j], p)) {
            out(p);
          }
        }
      }
    }
  }
}

/** for_each_contact's counting sink. */
struct CountContacts {
  unsigned count = 0;
  BR_HOST_DEVICE void operator()(const ContactPair&) { count++; }
};

/** for_each_contact's writing sink: pairs land at `at`, `at + 1`, ... */
struct WriteContacts {
  ContactPair* at;
  BR_HOST_DEVICE void operator()(const ContactPair& p) { *at++ = p; }
};

}  // namespace brokenrecord

#endif
