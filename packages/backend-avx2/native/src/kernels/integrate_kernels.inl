// The per-particle integrator kernels (uniform gravity, drag, bounds, kicks and drifts), written
// once over a lane type and included by integrate_scalar.cpp, integrate_avx2.cpp and
// integrate_avx512.cpp, each compiled with its own -m flags. Before including, a translation
// unit defines `Lanes` (see simd/) inside namespace brokenrecord::{anonymous}.
//
// Every kernel evaluates the same physics.h expressions in the same order, so the fused path
// (all steps per block of particles, values kept in registers) and the phase-by-phase path give
// the same bits, and so do the three instruction sets.

#include <string.h>
#include <brokenrecord/physics.h>
#include "kernel_table.h"

namespace brokenrecord {
namespace {

using V = Lanes::V;
constexpr int W = Lanes::width;

/**
 * Loads lanes [0, count) of a block from p; lanes past count get `fill`. The tail of a column
 * goes through a stack copy so kernels always work on whole vectors.
 */
template <int B>
inline void load_block(V (&out)[B], const float* p, size_t count, float fill) {
  if (count == (size_t)B * W) {
    for (int b = 0; b < B; b++) out[b] = Lanes::load(p + b * W);
    return;
  }
  float tmp[B * W];
  for (int i = 0; i < B * W; i++) tmp[i] = fill;
  memcpy(tmp, p, count * sizeof(float));
  for (int b = 0; b < B; b++) out[b] = Lanes::load(tmp + b * W);
}

template <int B>
inline void store_block(float* p, const V (&in)[B], size_t count) {
  if (count == (size_t)B * W) {
    for (int b = 0; b < B; b++) Lanes::store(p + b * W, in[b]);
    return;
  }
  float tmp[B * W];
  for (int b = 0; b < B; b++) Lanes::store(tmp + b * W, in[b]);
  memcpy(p, tmp, count * sizeof(float));
}

/**
 * Step fusion: B vectors of particles stay in registers, all three axes together, through all
 * `steps`. Axes are independent in every per-particle rule, but advancing them in one loop lets
 * the velocity update of one axis (multiply/FMA units) overlap the position updates of the others
 * (add units). The template flags remove what the system does not use: the benchmark's free fall
 * compiles to, per step, one FMA + one multiply + one add on the falling axis and a single add on
 * each axis without acceleration (v*dt is then loop-invariant and hoisted).
 * ActiveMask bit k: some force acts along axis k.
 */
template <int ActiveMask, bool Drag, bool Walls, bool Verlet, int B>
void fused_blocks(const AxisArgs (&p)[3], int steps) {
  const V K = Lanes::broadcast(p[0].k);
  const V DT = Lanes::broadcast(p[0].dt), H = Lanes::broadcast(p[0].half), Z = Lanes::broadcast(0.0f);
  const V G[3] = {Lanes::broadcast(p[0].g), Lanes::broadcast(p[1].g), Lanes::broadcast(p[2].g)};
  const size_t first = p[0].lo, last = p[0].hi;
  for (size_t i0 = first; i0 < last; i0 += (size_t)B * W) {
    const size_t count = last - i0 < (size_t)B * W ? last - i0 : (size_t)B * W;
    V x[3][B], v[3][B], r[B], lo[3][B], hi[3][B];
    for (int k = 0; k < 3; k++) {
      load_block<B>(x[k], p[k].x + i0, count, 0.0f);
      load_block<B>(v[k], p[k].v + i0, count, 0.0f);
    }
    if constexpr (Walls) {
      load_block<B>(r, p[0].r + i0, count, 0.0f);
      for (int k = 0; k < 3; k++) {
        for (int b = 0; b < B; b++) {
          lo[k][b] = br_narrow_add(p[k].w.min, r[b]);
          hi[k][b] = br_narrow_sub(p[k].w.max, r[b]);
        }
      }
    }
    // On an axis without force or walls, v never changes: its drift step v*dt is computed once.
    // The first such axis sends half of its adds to the multiply-add units as fma(step, 1, x),
    // which is exactly x + step: the add units are the bottleneck of free fall, and this balances
    // the two kinds of unit without changing a bit.
    constexpr int kFirstCoasting = (ActiveMask & 1) == 0   ? 0
                                   : (ActiveMask & 2) == 0 ? 1
                                   : (ActiveMask & 4) == 0 ? 2
                                                           : 3;
    const V ONE = Lanes::opaque_one();
    V coast[3][B];
    if constexpr (!Walls) {
      for (int k = 0; k < 3; k++) {
        if (!((ActiveMask >> k) & 1))
          for (int b = 0; b < B; b++) coast[k][b] = v[k][b] * DT;
      }
    }
    for (int s = 0; s < steps; s++) {
      for (int b = 0; b < B; b++) {
        for (int k = 0; k < 3; k++) {
          const bool active = (ActiveMask >> k) & 1;
          if (!Walls && !active) {
            const bool on_fma_unit = Lanes::width > 1 && k == kFirstCoasting && 2 * b < B;
            x[k][b] = on_fma_unit ? br_fma(coast[k][b], ONE, x[k][b]) : x[k][b] + coast[k][b];
            continue;
          }
          // Both integrators evaluate a = g - k*v with the velocity as it is at that moment
          // (verlet re-evaluates drag at step 1: step 6 changed v after step 5 used it).
          if (active) v[k][b] = kick(v[k][b], Drag ? local_acceleration(G[k], K, v[k][b]) : G[k], Verlet ? H : DT);
          if constexpr (Walls) v[k][b] = reflect_at_walls(x[k][b], lo[k][b], hi[k][b], v[k][b], p[k].w, Z);
          x[k][b] = drift(x[k][b], v[k][b], DT);
          if constexpr (Walls) x[k][b] = clamp_to_walls(x[k][b], lo[k][b], hi[k][b]);
          if (Verlet && active) v[k][b] = kick(v[k][b], Drag ? local_acceleration(G[k], K, v[k][b]) : G[k], H);
        }
      }
    }
    for (int k = 0; k < 3; k++) {
      store_block<B>(p[k].x + i0, x[k], count);
      store_block<B>(p[k].v + i0, v[k], count);
    }
  }
}

// Block depth: enough independent dependency chains to hide the add/FMA latency while a block
// (six values per particle vector, more with walls) still fits the register file: 32 vector
// registers with AVX-512, 16 with AVX2.
template <int ActiveMask, bool Drag, bool Walls>
void fused_integrator(const AxisArgs (&p)[3], int steps, bool verlet) {
  constexpr int B = (Lanes::registers >= 32 ? 4 : 2) / (Walls ? 2 : 1);
  if (verlet)
    fused_blocks<ActiveMask, Drag, Walls, true, B>(p, steps);
  else
    fused_blocks<ActiveMask, Drag, Walls, false, B>(p, steps);
}

template <bool Walls>
void fused_walls(const AxisArgs (&p)[3], int steps, bool verlet) {
  if (p[0].drag) return fused_integrator<7, true, Walls>(p, steps, verlet);
  switch ((p[0].active ? 1 : 0) | (p[1].active ? 2 : 0) | (p[2].active ? 4 : 0)) {
    case 0:
      return fused_integrator<0, false, Walls>(p, steps, verlet);
    case 1:
      return fused_integrator<1, false, Walls>(p, steps, verlet);
    case 2:
      return fused_integrator<2, false, Walls>(p, steps, verlet);
    case 3:
      return fused_integrator<3, false, Walls>(p, steps, verlet);
    case 4:
      return fused_integrator<4, false, Walls>(p, steps, verlet);
    case 5:
      return fused_integrator<5, false, Walls>(p, steps, verlet);
    case 6:
      return fused_integrator<6, false, Walls>(p, steps, verlet);
    default:
      return fused_integrator<7, false, Walls>(p, steps, verlet);
  }
}

void fused(const AxisArgs (&p)[3], int steps, bool verlet) {
  if (steps <= 0 || p[0].lo >= p[0].hi) return;
  if (p[0].walls)
    fused_walls<true>(p, steps, verlet);
  else
    fused_walls<false>(p, steps, verlet);
}

/** a = (g - k*v) + f: the fused loop's expression, plus the pairwise part when there is one. */
void local_forces_axis(const AxisArgs& p) {
  const V G = Lanes::broadcast(p.g), K = Lanes::broadcast(p.k);
  for (size_t i0 = p.lo; i0 < p.hi; i0 += W) {
    const size_t count = p.hi - i0 < (size_t)W ? p.hi - i0 : (size_t)W;
    V v[1], a[1], f[1];
    load_block<1>(v, p.v + i0, count, 0.0f);
    a[0] = p.drag ? local_acceleration(G, K, v[0]) : G;
    if (p.f) {
      load_block<1>(f, p.f + i0, count, 0.0f);
      a[0] = a[0] + f[0];
    }
    store_block<1>(p.a + i0, a, count);
  }
}

void kick_axis(const AxisArgs& p, float h) {
  const V Hv = Lanes::broadcast(h);
  for (size_t i0 = p.lo; i0 < p.hi; i0 += W) {
    const size_t count = p.hi - i0 < (size_t)W ? p.hi - i0 : (size_t)W;
    V v[1], a[1];
    load_block<1>(v, p.v + i0, count, 0.0f);
    load_block<1>(a, p.a + i0, count, 0.0f);
    v[0] = kick(v[0], a[0], Hv);
    store_block<1>(p.v + i0, v, count);
  }
}

void walls_drift_axis(const AxisArgs& p) {
  const V DT = Lanes::broadcast(p.dt), Z = Lanes::broadcast(0.0f);
  for (size_t i0 = p.lo; i0 < p.hi; i0 += W) {
    const size_t count = p.hi - i0 < (size_t)W ? p.hi - i0 : (size_t)W;
    V x[1], v[1], r[1], lo[1], hi[1];
    load_block<1>(x, p.x + i0, count, 0.0f);
    load_block<1>(v, p.v + i0, count, 0.0f);
    if (p.walls) {
      load_block<1>(r, p.r + i0, count, 0.0f);
      lo[0] = br_narrow_add(p.w.min, r[0]);
      hi[0] = br_narrow_sub(p.w.max, r[0]);
      v[0] = reflect_at_walls(x[0], lo[0], hi[0], v[0], p.w, Z);
      store_block<1>(p.v + i0, v, count);
    }
    x[0] = drift(x[0], v[0], DT);
    if (p.walls) x[0] = clamp_to_walls(x[0], lo[0], hi[0]);
    store_block<1>(p.x + i0, x, count);
  }
}

}  // namespace
}  // namespace brokenrecord

// Exported under an ISA-specific name; kernel_tables.cpp assembles them into KernelTables.
#define BR_EXPORT_INTEGRATE_KERNELS(suffix)                                                        \
  namespace brokenrecord {                                                                         \
  void fused_##suffix(const AxisArgs (&p)[3], int steps, bool verlet) { fused(p, steps, verlet); } \
  void local_forces_axis_##suffix(const AxisArgs& p) { local_forces_axis(p); }                     \
  void kick_axis_##suffix(const AxisArgs& p, float h) { kick_axis(p, h); }                         \
  void walls_drift_axis_##suffix(const AxisArgs& p) { walls_drift_axis(p); }                       \
  }
