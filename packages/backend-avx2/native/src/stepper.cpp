#include "stepper.h"

#include "kernels/contacts.h"

#include <string.h>
#include <algorithm>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace brokenrecord {

namespace {

// Work is handed out in chunks of whole SIMD blocks (a multiple of 128 particles, so no two
// threads write the same cache line of a column), dynamically: a thread whose core is shared
// with another process takes fewer chunks instead of holding everyone up at the next barrier.
// Which thread computes a particle never changes a bit: every particle's result depends only on
// the state at the start of the phase.
constexpr size_t kChunkAlign = 128;

struct Chunks {
  size_t n, size;
  long long count() const { return (long long)((n + size - 1) / size); }
  size_t lo(long long k) const { return (size_t)k * size; }
  size_t hi(long long k) const { return std::min(n, (size_t)(k + 1) * size); }
};

/** About eight chunks per thread, never smaller than `min_size` particles. */
Chunks chunks_for(size_t n, int threads, size_t min_size) {
  size_t size = (n + (size_t)threads * 8 - 1) / ((size_t)threads * 8);
  size = std::max(size, min_size);
  size = (size + kChunkAlign - 1) / kChunkAlign * kChunkAlign;
  return {n, size};
}

}  // namespace

void Stepper::reserve(size_t n) {
  if (n <= capacity_) return;
  for (int k = 0; k < 3; k++) {
    accel_[k].resize(n);
    force_[k].resize(plan_.pairwise.empty() ? 0 : n);
    // contacts: their accelerations; collisions in a periodic box: their simultaneous impulses
    impulse_[k].resize(plan_.contacts || (plan_.collisions && plan_.periodic) ? n : 0);
    gen_f_[k].resize(generated_position() ? n : 0);
    gen_v_[k].resize(generated_ && generated_->velocity ? n : 0);
  }
  for (auto& column : contact_columns_) column.resize(plan_.collisions || plan_.contacts ? n : 0);
  capacity_ = n;
}

void Stepper::release() {
  for (int k = 0; k < 3; k++) {
    std::vector<float>().swap(accel_[k]);
    std::vector<float>().swap(force_[k]);
    std::vector<double>().swap(impulse_[k]);
    std::vector<double>().swap(gen_f_[k]);
    std::vector<double>().swap(gen_v_[k]);
  }
  std::vector<float>().swap(gen_cache_inputs_);
  for (auto& column : contact_columns_) std::vector<double>().swap(column);
  std::vector<float>().swap(cache_inputs_);
  grid_.release();
  contacts_.release();
  tree_.release();
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
  return !generated_ || generated_cache_matches(c);
}

void Stepper::remember(const Columns& c) {
  cache_inputs_.resize(4 * c.n);
  const float* cols[4] = {c.px, c.py, c.pz, c.mass};
  for (int k = 0; k < 4; k++) memcpy(cache_inputs_.data() + (size_t)k * c.n, cols[k], c.n * sizeof(float));
  if (generated_) remember_generated(c);
  cache_count_ = c.n;
  cache_valid_ = true;
}

int Stepper::step(const Columns& c, int64_t steps) {
  if (steps <= 0 || c.n == 0) return 0;
  reserve(c.n);
  const bool caching = plan_.verlet && (!plan_.pairwise.empty() || generated_position());
  bool cached = caching && cache_matches(c);
  cache_valid_ = false;  // until this call completes
  gen_error_ = 0;
  // Kernels count steps in int; a longer run is a sequence of runs (the cache carries over).
  while (steps > 0) {
    const int chunk = (int)std::min<int64_t>(steps, 1 << 30);
    if (plan_.per_particle() && fuse_)
      fused(c, chunk);
    else
      phased(c, chunk, cached);
    if (gen_error_ != 0) return gen_error_;  // the cache stays invalid
    steps -= chunk;
    first_step_ += chunk;
    cached = true;
  }
  if (caching) remember(c);
  return 0;
}

void Stepper::fused(const Columns& c, int steps) {
  // Particles do not interact: a chunk is advanced through every step on its own, no barrier.
  const Chunks chunks = chunks_for(c.n, threads_, kChunkAlign);
  const int team = (int)std::min<long long>(threads_, chunks.count());
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads(team)
#endif
  for (long long k = 0; k < chunks.count(); k++) {
    const AxisArgs axes[3] = {axis_args(c, 0, chunks.lo(k), chunks.hi(k)), axis_args(c, 1, chunks.lo(k), chunks.hi(k)),
                              axis_args(c, 2, chunks.lo(k), chunks.hi(k))};
    kernels_->fused(axes, steps, plan_.verlet);
  }
}

void Stepper::phased(const Columns& c, int steps, bool cached) {
  // Larger chunks for the O(N) phases; pairwise gravity is O(N) per particle and balances anyway.
  const Chunks chunks = chunks_for(c.n, threads_, 1024);
  // A small system is one chunk: one thread, and no barrier ever waits for a sleeping teammate.
  // Expression terms thread their own loops (their pair loops dominate): the phases around them
  // run on this thread, outside any active parallel region.
  const int team = generated_ ? 1 : (int)std::min<long long>(threads_, chunks.count());
#ifdef _OPENMP
#pragma omp parallel num_threads(team)
#endif
  {
    // Each phase hands out chunks; the barriers between phases make every phase read what the
    // previous one completed: all positions are read (forces, grid) before any moves, every
    // contact is resolved before the walls and the drift.
    auto barrier = [&]() {
#ifdef _OPENMP
#pragma omp barrier
#endif
    };
    auto each_chunk = [&](auto&& work) {
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 1) nowait
#endif
      for (long long k = 0; k < chunks.count(); k++) work(chunks.lo(k), chunks.hi(k));
    };
    auto axes_of = [&](size_t lo, size_t hi, AxisArgs(&axes)[3]) {
      for (int k = 0; k < 3; k++) axes[k] = axis_args(c, k, lo, hi);
    };
    // Pairwise gravity of the current positions into force_ (reads every position).
    auto pairwise = [&](double t) {
      // Expression terms run with a team of one around them (see team): no barrier needed after.
      if (generated_position()) generated_position_terms(c, t);
      if (plan_.pairwise.empty()) return;
      if (any_gravity_tree(plan_.pairwise, c.n)) {
        tree_gravity(c);  // ends with a barrier
        return;
      }
      each_chunk([&](size_t lo, size_t hi) {
        bool first = true;
        for (const PairwiseTerm& term : plan_.pairwise) {
          GravityArgs g{c.px,
                        c.py,
                        c.pz,
                        c.mass,
                        c.n,
                        term.eps2,
                        term.G,
                        first,
                        force_[0].data(),
                        force_[1].data(),
                        force_[2].data(),
                        lo,
                        hi};
          kernels_->pairwise_gravity(g);
          first = false;
        }
      });
      barrier();
    };
    // Soft-sphere contact accelerations of the current positions and velocities into impulse_
    // (kernels/contacts.h); false when no pair can touch. Every velocity is read before any kick.
    auto contact_forces = [&]() {
      if (!plan_.contacts) return false;
      grid_.build(c.px, c.py, c.pz, c.radius, c.n);  // by the whole team, ends with a barrier
      if (!grid_.has_contacts()) return false;
      const ContactBuffers buffers{contact_columns_[0].data(), contact_columns_[1].data(), contact_columns_[2].data(),
                                   contact_columns_[3].data()};
      each_chunk([&](size_t lo, size_t hi) { pack_contacts(c, grid_, buffers, lo, hi); });
      barrier();
      const ContactForceView view{&grid_,
                                  grid_.order(),
                                  grid_.cells(),
                                  buffers.xs,
                                  buffers.ys,
                                  buffers.zs,
                                  buffers.rs,
                                  c.vx,
                                  c.vy,
                                  c.vz,
                                  c.mass,
                                  plan_.contact_law,
                                  impulse_[0].data(),
                                  impulse_[1].data(),
                                  impulse_[2].data()};
      each_chunk([&](size_t lo, size_t hi) { kernels_->contact_forces(view, lo, hi); });
      barrier();
      return true;
    };
    // a = (g - k*v) + f with the velocities as they are now, then the kick v += a*h.
    // With expression terms, t is the time they are evaluated at and the kick adds them in double.
    auto kick = [&](bool half, double t) {
      const float h = half ? plan_.half : plan_.dt;
      const bool touching = contact_forces();
      if (generated_ && generated_->velocity) generated_velocity_terms(c, t);
      each_chunk([&](size_t lo, size_t hi) {
        AxisArgs axes[3];
        axes_of(lo, hi, axes);
        for (int k = 0; k < 3; k++) {
          if (!axes[k].active) continue;
          kernels_->local_forces_axis(axes[k]);
          if (generated_)
            generated_kick(axes[k], k, half ? generated_->dt * 0.5 : generated_->dt,
                           touching ? impulse_[k].data() : nullptr);
          else if (touching)
            kick_axis_with_contacts(axes[k].v, axes[k].a, impulse_[k].data(), h, lo, hi);
          else
            kernels_->kick_axis(axes[k], h);
        }
      });
      barrier();
    };
    auto contacts_and_drift = [&]() {
      if (plan_.collisions && plan_.periodic) {
        // Contacts through the faces of a periodic box (nearest image): simultaneous impulses from
        // the velocities before any is applied, not the sequential sweeps below (the contact
        // solver has no periodic images); the same for isolated pairs.
        each_chunk([&](size_t lo, size_t hi) { periodic_collision_impulses(c, lo, hi); });
        barrier();
        each_chunk([&](size_t lo, size_t hi) { apply_periodic_impulses(c, lo, hi); });
        barrier();
      } else if (plan_.collisions) {
        grid_.build(c.px, c.py, c.pz, c.radius, c.n);  // by the whole team, ends with a barrier
        if (grid_.has_contacts()) {
          const ContactBuffers buffers{contact_columns_[0].data(), contact_columns_[1].data(),
                                       contact_columns_[2].data(), contact_columns_[3].data()};
          // Chunks of grid slots here (not of particle indices): neighbours in cell order.
          each_chunk([&](size_t lo, size_t hi) { pack_contacts(c, grid_, buffers, lo, hi); });
          barrier();
          const ContactView view{&grid_,     grid_.order(), grid_.cells(), buffers.xs,
                                 buffers.ys, buffers.zs,    buffers.rs,    &ContactSolver::emit};
#ifdef _OPENMP
#pragma omp single
#endif
          contacts_.prepare((size_t)chunks.count());  // the single's implicit barrier publishes it
          // Each chunk's pairs into its own list: which thread finds them changes nothing.
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 1)
#endif
          for (long long k = 0; k < chunks.count(); k++) {
            kernels_->find_contacts(view, contacts_.sink((size_t)k), chunks.lo(k), chunks.hi(k));
          }
          // The sweeps on one thread: the order of the impulses is the physics.
#ifdef _OPENMP
#pragma omp single
#endif
          if (contacts_.resolve(c, plan_.bounce)) unresolved_steps_++;
        }
      }
      each_chunk([&](size_t lo, size_t hi) {
        AxisArgs axes[3];
        axes_of(lo, hi, axes);
        for (int k = 0; k < 3; k++) kernels_->walls_drift_axis(axes[k]);
        if (plan_.periodic) wrap_periodic(c, lo, hi);
      });
      barrier();  // positions complete for the next forces / grid
    };

    // Step s of this call starts at t = (first step + s) * dt (used by expression terms only).
    auto time = [&](int s) { return generated_ ? (double)(first_step_ + s) * generated_->dt : 0.0; };
    if (plan_.verlet && !cached) pairwise(time(0));
    for (int step = 0; step < steps && gen_error_ == 0; step++) {
      if (plan_.verlet) {
        kick(true, time(step));
        contacts_and_drift();
        pairwise(time(step + 1));
        kick(true, time(step + 1));
      } else {
        pairwise(time(step));
        kick(false, time(step));
        contacts_and_drift();
      }
    }
  }
}

}  // namespace brokenrecord
