#include "stepper.h"

#include <string.h>
#include <algorithm>


#ifdef _OPENMP
#include <omp.h>
#endif

namespace brokenrecord {

namespace {

// Thread slices are multiples of this many particles: whole SIMD blocks, and no two threads
// write the same cache line of any column.
constexpr size_t kSliceAlign = 128;

struct Slice {
  size_t lo, hi;
};

Slice slice_for(size_t n, int thread, int threads) {
  size_t per = (n + (size_t)threads - 1) / (size_t)threads;
  per = (per + kSliceAlign - 1) / kSliceAlign * kSliceAlign;
  const size_t lo = std::min(n, per * (size_t)thread);
  return {lo, std::min(n, lo + per)};
}

int thread_index() {
#ifdef _OPENMP
  return omp_get_thread_num();
#else
  return 0;
#endif
}

int team_size() {
#ifdef _OPENMP
  return omp_get_num_threads();
#else
  return 1;
#endif
}

}  // namespace

void Stepper::reserve(size_t n) {
  if (n <= capacity_) return;
  for (int k = 0; k < 3; k++) {
    accel_[k].resize(n);
    force_[k].resize(plan_.pairwise.empty() ? 0 : n);
    impulse_[k].resize(plan_.collisions ? n : 0);
  }
  contacts_.resize(plan_.collisions ? n : 0);
  for (auto& column : contact_columns_) column.resize(plan_.collisions ? n : 0);
  capacity_ = n;
}

void Stepper::release() {
  for (int k = 0; k < 3; k++) {
    std::vector<float>().swap(accel_[k]);
    std::vector<float>().swap(force_[k]);
    std::vector<double>().swap(impulse_[k]);
  }
  std::vector<ContactParticle>().swap(contacts_);
  for (auto& column : contact_columns_) std::vector<double>().swap(column);
  std::vector<float>().swap(cache_inputs_);
  grid_.release();
  capacity_ = 0;
  cache_valid_ = false;
}

AxisArgs Stepper::axis_args(const Columns& c, int axis, size_t lo, size_t hi) {
  AxisArgs a;
  a.x = c.position(axis);
  a.v = c.velocity(axis);
  a.a = accel_[axis].data();
  a.f = plan_.pairwise.empty() ? nullptr : force_[axis].data();
  a.r = c.radius;
  a.lo = lo;
  a.hi = hi;
  a.g = plan_.g[axis];
  a.k = plan_.k;
  a.dt = plan_.dt;
  a.half = plan_.half;
  a.active = plan_.axis_active(axis);
  a.drag = plan_.k != 0.0f;
  a.walls = plan_.walls;
  a.w = plan_.axis_walls[axis];
  return a;
}

bool Stepper::cache_matches(const Columns& c) const {
  if (!cache_valid_ || c.n != cache_count_) return false;
  const float* cols[4] = {c.px, c.py, c.pz, c.mass};
  for (int k = 0; k < 4; k++) {
    // Bitwise, as the reference compares: -0 and +0, or two NaN payloads, are different states.
    if (memcmp(cols[k], cache_inputs_.data() + (size_t)k * c.n, c.n * sizeof(float)) != 0) return false;
  }
  return true;
}

void Stepper::remember(const Columns& c) {
  cache_inputs_.resize(4 * c.n);
  const float* cols[4] = {c.px, c.py, c.pz, c.mass};
  for (int k = 0; k < 4; k++) memcpy(cache_inputs_.data() + (size_t)k * c.n, cols[k], c.n * sizeof(float));
  cache_count_ = c.n;
  cache_valid_ = true;
}

void Stepper::step(const Columns& c, int64_t steps) {
  if (steps <= 0 || c.n == 0) return;
  reserve(c.n);
  const bool caching = plan_.verlet && !plan_.pairwise.empty();
  bool cached = caching && cache_matches(c);
  cache_valid_ = false;  // until this call completes
  // Kernels count steps in int; a longer run is a sequence of runs (the cache carries over).
  while (steps > 0) {
    const int chunk = (int)std::min<int64_t>(steps, 1 << 30);
    if (plan_.per_particle() && fuse_) fused(c, chunk);
    else phased(c, chunk, cached);
    steps -= chunk;
    cached = true;
  }
  if (caching) remember(c);
}

void Stepper::fused(const Columns& c, int steps) {
  // Particles do not interact: each thread advances its own slice through every step, no barrier.
#ifdef _OPENMP
#pragma omp parallel num_threads(threads_)
#endif
  {
    const Slice s = slice_for(c.n, thread_index(), team_size());
    const AxisArgs axes[3] = {axis_args(c, 0, s.lo, s.hi), axis_args(c, 1, s.lo, s.hi), axis_args(c, 2, s.lo, s.hi)};
    kernels_->fused(axes, steps, plan_.verlet);
  }
}

void Stepper::phased(const Columns& c, int steps, bool cached) {
  const bool coupled = !plan_.per_particle();
#ifdef _OPENMP
#pragma omp parallel num_threads(threads_)
#endif
  {
    const Slice s = slice_for(c.n, thread_index(), team_size());
    AxisArgs axes[3] = {axis_args(c, 0, s.lo, s.hi), axis_args(c, 1, s.lo, s.hi), axis_args(c, 2, s.lo, s.hi)};
    // Every thread writes only its slice but reads all positions (pairwise gravity, grid) and all
    // velocities (contacts); the barriers below separate the phases where that matters.
    auto barrier = [&]() {
#ifdef _OPENMP
      if (coupled) {
#pragma omp barrier
      }
#endif
    };
    // Pairwise gravity of the current positions into force_ (reads every position).
    auto pairwise = [&]() {
      bool first = true;
      for (const PairwiseTerm& term : plan_.pairwise) {
        GravityArgs g{c.px, c.py, c.pz, c.mass, c.n, term.eps2, term.G, first,
                      force_[0].data(), force_[1].data(), force_[2].data(), s.lo, s.hi};
        kernels_->pairwise_gravity(g);
        first = false;
      }
    };
    // a = (g - k*v) + f with the velocities as they are now (own slice only).
    auto accelerations = [&]() {
      for (int k = 0; k < 3; k++) {
        if (axes[k].active) kernels_->local_forces_axis(axes[k]);
      }
    };
    auto kick = [&](float h) {
      for (int k = 0; k < 3; k++) {
        if (axes[k].active) kernels_->kick_axis(axes[k], h);
      }
    };
    auto contacts_and_drift = [&]() {
      if (plan_.collisions) {
        barrier();  // every kick done (and every read of positions for forces)
#ifdef _OPENMP
#pragma omp single
#endif
        grid_.build(c.px, c.py, c.pz, c.radius, c.n);  // implicit barrier after single
        if (grid_.has_contacts()) {
          // Threads take slices of grid slots here (not of particle indices): neighbours in cell order.
          const ContactBuffers buffers{contacts_.data(), contact_columns_[0].data(), contact_columns_[1].data(),
                                       contact_columns_[2].data(), contact_columns_[3].data()};
          pack_contacts(c, grid_, buffers, s.lo, s.hi);
          barrier();
          const ContactView view{&grid_, grid_.order(), grid_.cells(), contacts_.data(),
                                 buffers.xs, buffers.ys, buffers.zs, buffers.rs, plan_.bounce,
                                 impulse_[0].data(), impulse_[1].data(), impulse_[2].data()};
          kernels_->collision_impulses(view, s.lo, s.hi);
          barrier();  // every impulse computed from the old velocities before any is applied
          apply_impulses(c, impulse_[0].data(), impulse_[1].data(), impulse_[2].data(), s.lo, s.hi);
        }
      } else {
        barrier();  // every thread is done reading positions for forces before any moves
      }
      for (int k = 0; k < 3; k++) kernels_->walls_drift_axis(axes[k]);
      barrier();  // positions complete for the next forces / grid
    };

    if (plan_.verlet && !plan_.pairwise.empty() && !cached) {
      pairwise();
      barrier();
    }
    for (int step = 0; step < steps; step++) {
      if (plan_.verlet) {
        accelerations();
        kick(plan_.half);
        contacts_and_drift();
        pairwise();
        accelerations();
        kick(plan_.half);
        barrier();  // everyone is done reading positions before the next drift or grid
      } else {
        pairwise();
        accelerations();
        kick(plan_.dt);
        contacts_and_drift();
      }
    }
  }
}

}  // namespace brokenrecord
