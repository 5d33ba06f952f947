// The physics of docs/physics.md, written once for every native code path: the scalar CPU path
// (V = float), the AVX2 and AVX-512 paths (V = a SIMD wrapper from native/src/simd) and CUDA
// (V = float, compiled by nvcc). Keeping the math here means the CPU test suite exercises the very
// expressions a GPU build runs.
//
// Rounding policy, the same for every path (builds use -ffp-contract=off so that the compiler
// never adds or removes a rounding on its own):
//   - local acceleration a = g - k*v: one rounding (fused negative multiply-add);
//   - kick v += a*h: one rounding (fused multiply-add);
//   - drift x += v*dt: the product v*dt is rounded, then added. On an axis whose velocity does not
//     change (no acceleration) that product is loop-invariant, so a step costs one addition; this
//     balances the multiply and add units of the CPU and is what makes step fusion fast;
//   - walls: float32 limits lo = float(min + r), hi = float(max - r) (min, max float32), used by
//     both the contact test and the clamp, so a particle touching a wall is reflected on the same
//     step in every backend;
//   - collisions: double throughout, the reference's formula term by term.
// V must provide +, -, *, comparisons returning its mask type, and the free functions br_fma,
// br_fnma, br_min, br_max, br_select, br_narrow_add,
// br_narrow_sub and br_scale_wide (the scalar definitions below show their meaning).
#ifndef BROKENRECORD_PHYSICS_H
#define BROKENRECORD_PHYSICS_H

#include <math.h>

#ifdef __CUDACC__
#define BR_HOST_DEVICE __host__ __device__
#else
#define BR_HOST_DEVICE
#endif

// Everything here has internal linkage: the same header is compiled with different -m flags in
// several translation units of one library, and a shared (weak) symbol could let the linker pick
// an AVX-512 copy for the scalar path.
#define BR_INLINE static inline BR_HOST_DEVICE

namespace brokenrecord {

// ---- the scalar meaning of the primitives (V = float) ----------------------------------------

BR_INLINE float br_fma(float a, float b, float c) { return fmaf(a, b, c); }    // a*b + c, one rounding
BR_INLINE float br_fnma(float a, float b, float c) { return fmaf(-a, b, c); }  // c - a*b, one rounding
BR_INLINE float br_min(float a, float b) { return a < b ? a : b; }
BR_INLINE float br_max(float a, float b) { return a > b ? a : b; }
BR_INLINE float br_select(bool m, float a, float b) { return m ? a : b; }
/** float(c + r) computed in double: the wall lo = min + r (exact float32 addition when c is a float32). */
BR_INLINE float br_narrow_add(double c, float r) { return (float)(c + (double)r); }
/** float(c - r) computed in double: the wall hi = max - r. */
BR_INLINE float br_narrow_sub(double c, float r) { return (float)(c - (double)r); }
/** float(c * v) computed in double: the reflected velocity -e*v. */
BR_INLINE float br_scale_wide(float v, double c) { return (float)(c * (double)v); }

// ---- per-particle rules (one axis at a time: no per-particle rule couples the axes) ----------

/** uniformGravity + drag: a = g - k*v (k is the sum of every drag rule). */
template <class V>
BR_INLINE V local_acceleration(V g, V k, V v) {
  return br_fnma(k, v, g);
}

/** v += a*h (h = dt for euler, dt/2 for each verlet half kick). */
template <class V>
BR_INLINE V kick(V v, V a, V h) {
  return br_fma(a, h, v);
}

/** x += v*dt, with the product rounded first (see the rounding policy above). */
template <class V>
BR_INLINE V drift(V x, V v, V dt) {
  return x + v * dt;
}

/** The walls of one axis, in the form every kernel uses. */
struct AxisWalls {
  double min;      // box minimum along the axis, a float32 value (walls are float32, like the state)
  double max;      // box maximum, a float32 value
  double reflect;  // -e: the factor an outward velocity is multiplied by
  bool elastic;    // e == 1, where -e*v is exactly -v
};

/**
 * bounds, contact phase: a sphere touching a face while moving outward has that velocity
 * component reflected and scaled by e. "Touching" compares the centre with the float32 walls
 * lo = float(min + r), hi = float(max - r) (min and max are float32 values, see AxisWalls): the
 * very limits the clamp below puts a particle at, so a clamped particle always counts as touching
 * and is reflected at the next step (docs/physics.md). `zero` is V(0).
 */
template <class V>
BR_INLINE V reflect_at_walls(V x, V lo, V hi, V v, const AxisWalls& w, V zero) {
  auto outward = ((x <= lo) & (v < zero)) | ((x >= hi) & (v > zero));
  V reflected = w.elastic ? zero - v : br_scale_wide(v, w.reflect);
  return br_select(outward, reflected, v);
}

/**
 * bounds, after the drift: x = min(max(x, lo), hi) with lo = float(min + r), hi = float(max - r).
 * x goes second: br_min/br_max (and minps/maxps) return their second operand when one is NaN, so
 * a NaN position stays NaN and the divergence scan reports it, as in every backend; it is never
 * clamped into a finite one (docs/physics.md, "Divergence").
 */
template <class V>
BR_INLINE V clamp_to_walls(V x, V lo, V hi) {
  return br_min(hi, br_max(lo, x));
}

// ---- pairwise gravity ------------------------------------------------------------------------

/**
 * One source j acting on target i: adds m_j d / (|d|^2 + eps^2)^{3/2} to (sx, sy, sz), d = x_j - x_i.
 * The scalar form (1/sqrt); the SIMD kernels use rsqrt with one Newton step instead. Callers skip
 * j = i by index. Another particle at distance 0 with eps = 0 has no defined pull: the term is
 * 0 * inf = NaN, as in the reference, so the run diverges there on every backend (docs/physics.md).
 */
BR_INLINE void gravity_source(float dx, float dy, float dz, float mj, float eps2, float& sx, float& sy, float& sz) {
  float r2 = br_fma(dz, dz, br_fma(dy, dy, br_fma(dx, dx, eps2)));
  float inv = 1.0f / sqrtf(r2);
  float s = mj * (inv * inv * inv);
  sx = br_fma(s, dx, sx);
  sy = br_fma(s, dy, sy);
  sz = br_fma(s, dz, sz);
}

// ---- collisions (Jacobi, double precision) ---------------------------------------------------

/** The contact test shared by the broadphase, the brute force and the impulse kernel. */
BR_INLINE bool touching(double d2, double rs) { return d2 < rs * rs && d2 > 0.0; }

/**
 * Adds to (sx, sy, sz) the velocity change of particle i from its contact with j, if they touch
 * and approach. J is computed from quantities that only change sign when i and j swap, so the
 * pair gives bit-identical impulses seen from either side and momentum is kept.
 */
BR_INLINE void collision_impulse(double xi, double yi, double zi, double ui, double vi, double wi, double ri, double mi,
                                 double inv_mi, double xj, double yj, double zj, double uj, double vj, double wj,
                                 double rj, double mj, double bounce, double& sx, double& sy, double& sz) {
  double dx = xj - xi, dy = yj - yi, dz = zj - zi;
  double d2 = dx * dx + dy * dy + dz * dz;
  if (!touching(d2, ri + rj)) return;
  double dist = sqrt(d2);
  double nx = dx / dist, ny = dy / dist, nz = dz / dist;
  double u = (uj - ui) * nx + (vj - vi) * ny + (wj - wi) * nz;
  if (u < 0.0) {
    double J = (-bounce * u) / (inv_mi + 1.0 / mj);
    sx -= (J * nx) / mi;
    sy -= (J * ny) / mi;
    sz -= (J * nz) / mi;
  }
}

/**
 * The same as collision_impulse for a separation d = x_j − x_i already computed (the nearest image
 * in a periodic box): the arithmetic after d is identical.
 */
BR_INLINE void collision_impulse_at(double dx, double dy, double dz, double ui, double vi, double wi, double ri,
                                    double mi, double inv_mi, double uj, double vj, double wj, double rj, double mj,
                                    double bounce, double& sx, double& sy, double& sz) {
  double d2 = dx * dx + dy * dy + dz * dz;
  if (!touching(d2, ri + rj)) return;
  double dist = sqrt(d2);
  double nx = dx / dist, ny = dy / dist, nz = dz / dist;
  double u = (uj - ui) * nx + (vj - vi) * ny + (wj - wi) * nz;
  if (u < 0.0) {
    double J = (-bounce * u) / (inv_mi + 1.0 / mj);
    sx -= (J * nx) / mi;
    sy -= (J * ny) / mi;
    sz -= (J * nz) / mi;
  }
}

}  // namespace brokenrecord

#endif  // BROKENRECORD_PHYSICS_H
