// All-pairs gravity as a sum over tiles of sources: float within a tile, double across tiles
// (as the AVX2 scalar path), which keeps long sums accurate at one conversion per tile. The CUDA
// kernel stages each tile in shared memory; the host executor passes slices of the columns.
#ifndef BROKENRECORD_CUDA_GRAVITY_TILE_H
#define BROKENRECORD_CUDA_GRAVITY_TILE_H

#include <brokenrecord/physics.h>

namespace brokenrecord {

/** Sources per tile: also the CUDA block size of the gravity kernel. */
constexpr int kGravityTile = 256;

/**
 * Adds the pull of sources [0, count) of a tile on the target at (xi, yi, zi) to (sx, sy, sz).
 * `self` is the target's index within the tile (skipped), or -1 when the tile does not hold it.
 */
BR_INLINE void gravity_from_tile(float xi, float yi, float zi, const float* x, const float* y, const float* z,
                                 const float* m, int count, int self, float eps2, double& sx, double& sy, double& sz) {
  float tx = 0, ty = 0, tz = 0;
  for (int j = 0; j < count; j++) {
    if (j != self) gravity_source(x[j] - xi, y[j] - yi, z[j] - zi, m[j], eps2, tx, ty, tz);
  }
  sx += tx;
  sy += ty;
  sz += tz;
}

/** The force column after one pairwise term: G*sum, added to the previous terms' value. */
BR_INLINE float gravity_total(double G, double sum, bool first, float previous) {
  return first ? (float)(G * sum) : (float)((double)previous + G * sum);
}

}  // namespace brokenrecord

#endif
