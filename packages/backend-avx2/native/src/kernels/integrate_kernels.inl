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
 * Step fusion on one axis: B vectors of particles stay in registers through all `steps`.
 * The template flags remove what the system does not use, so the benchmark's free fall compiles
 * to one fused multiply-add (velocity) and one multiply-add pair (position) per step and axis,
 * or a single add on an axis without acceleration (v*dt is then loop-invariant).
 */
template <bool Active, bool Drag, bool Walls, bool Verlet, int B>
void fused_axis_blocks(const AxisArgs& p, int steps) {
  const V G = Lanes::broadcast(p.g), K = Lanes::broadcast(p.k);
  const V DT = Lanes::broadcast(p.dt), H = Lanes::broadcast(p.half), Z = Lanes::broadcast(0.0f);
  for (size_t i0 = p.lo; i0 < p.hi; i0 += (size_t)B * W) {
    const size_t count = p.hi - i0 < (size_t)B * W ? p.hi - i0 : (size_t)B * W;
    V x[B], v[B], r[B], lo[B], hi[B];
    load_block<B>(x, p.x + i0, count, 0.0f);
    load_block<B>(v, p.v + i0, count, 0.0f);
    if constexpr (Walls) {
      load_block<B>(r, p.r + i0, count, 0.0f);
      for (int b = 0; b < B; b++) {
        lo[b] = br_narrow_add(p.w.min, r[b]);
        hi[b] = br_narrow_sub(p.w.max, r[b]);
      }
    }
    for (int s = 0; s < steps; s++) {
      for (int b = 0; b < B; b++) {
        // Both integrators evaluate a = g - k*v with the velocity as it is at that moment
        // (verlet re-evaluates drag at step 1: step 6 changed v after step 5 used it).
        if constexpr (Active) v[b] = kick(v[b], Drag ? local_acceleration(G, K, v[b]) : G, Verlet ? H : DT);
        if constexpr (Walls) v[b] = reflect_at_walls(x[b], r[b], v[b], p.w, Z);
        x[b] = drift(x[b], v[b], DT);
        if constexpr (Walls) x[b] = clamp_to_walls(x[b], lo[b], hi[b]);
        if constexpr (Verlet && Active) v[b] = kick(v[b], Drag ? local_acceleration(G, K, v[b]) : G, H);
      }
    }
    store_block<B>(p.x + i0, x, count);
    store_block<B>(p.v + i0, v, count);
  }
}

// Eight vectors give enough independent dependency chains to hide the add/FMA latency; the
// wall limits need more registers, so those blocks are half as deep.
template <bool Active, bool Drag, bool Walls>
void fused_axis_integrator(const AxisArgs& p, int steps, bool verlet) {
  constexpr int B = Walls ? 4 : 8;
  if (verlet) fused_axis_blocks<Active, Drag, Walls, true, B>(p, steps);
  else fused_axis_blocks<Active, Drag, Walls, false, B>(p, steps);
}

template <bool Walls>
void fused_axis_walls(const AxisArgs& p, int steps, bool verlet) {
  if (!p.active) fused_axis_integrator<false, false, Walls>(p, steps, verlet);
  else if (p.drag) fused_axis_integrator<true, true, Walls>(p, steps, verlet);
  else fused_axis_integrator<true, false, Walls>(p, steps, verlet);
}

void fused_axis(const AxisArgs& p, int steps, bool verlet) {
  if (steps <= 0 || p.lo >= p.hi) return;
  if (p.walls) fused_axis_walls<true>(p, steps, verlet);
  else fused_axis_walls<false>(p, steps, verlet);
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
    V x[1], v[1], r[1];
    load_block<1>(x, p.x + i0, count, 0.0f);
    load_block<1>(v, p.v + i0, count, 0.0f);
    if (p.walls) {
      load_block<1>(r, p.r + i0, count, 0.0f);
      v[0] = reflect_at_walls(x[0], r[0], v[0], p.w, Z);
      store_block<1>(p.v + i0, v, count);
    }
    x[0] = drift(x[0], v[0], DT);
    if (p.walls) x[0] = clamp_to_walls(x[0], br_narrow_add(p.w.min, r[0]), br_narrow_sub(p.w.max, r[0]));
    store_block<1>(p.x + i0, x, count);
  }
}

}  // namespace
}  // namespace brokenrecord

// Exported under an ISA-specific name; kernel_tables.cpp assembles them into KernelTables.
#define BR_EXPORT_INTEGRATE_KERNELS(suffix)                                                          \
  namespace brokenrecord {                                                                           \
  void fused_axis_##suffix(const AxisArgs& p, int steps, bool verlet) {                             \
    fused_axis(p, steps, verlet);                                                                    \
  }                                                                                                  \
  void local_forces_axis_##suffix(const AxisArgs& p) { local_forces_axis(p); }                       \
  void kick_axis_##suffix(const AxisArgs& p, float h) { kick_axis(p, h); }                           \
  void walls_drift_axis_##suffix(const AxisArgs& p) { walls_drift_axis(p); }                         \
  }
