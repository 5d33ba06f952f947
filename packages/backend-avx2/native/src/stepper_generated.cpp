// The step loop's side of expression terms (GeneratedTerms): the input struct over the state's
// columns, the position- and velocity-dependent accelerations in double, the kick that adds them
// as the reference does (a = (g − k·v + pairwise gravity) + terms; v = f32(v + a·h) in double),
// what the verlet cache compares besides positions and masses, and the periodic wrap.
#include <math.h>
#include <string.h>

#include <algorithm>

#include <brokenrecord/physics.h>

#include "stepper.h"

#ifdef _OPENMP
#include <omp.h>
#endif

namespace brokenrecord {

br_gen_input Stepper::generated_input(const Columns& c, double t) const {
  br_gen_input in = {};
  in.version = BR_GEN_ABI_VERSION;
  in.count = (uint32_t)c.n;
  in.t = t;
  in.px = c.px;
  in.py = c.py;
  in.pz = c.pz;
  in.vx = c.vx;
  in.vy = c.vy;
  in.vz = c.vz;
  in.mass = c.mass;
  in.radius = c.radius;
  in.attributes = generated_->attributes.data();
  in.bond_count = generated_->bond_count.data();
  in.bond_i = generated_->bond_i.data();
  in.bond_j = generated_->bond_j.data();
  in.bond_params = generated_->bond_params.data();
  in.ex_start = generated_->ex_start;
  in.ex_list = generated_->ex_list;
  return in;
}

namespace {

/** The generated code's own parallel loops use the context's thread count. */
void use_threads(int threads) {
#ifdef _OPENMP
  omp_set_num_threads(threads);
#else
  (void)threads;
#endif
}

}  // namespace

void Stepper::generated_position_terms(const Columns& c, double t) {
  for (auto& column : gen_f_) std::fill(column.begin(), column.begin() + (ptrdiff_t)c.n, 0.0);
  use_threads(threads_);
  const br_gen_input in = generated_input(c, t);
  const int rc =
      generated_->forces->accelerations(in, kGenPositionTerms, gen_f_[0].data(), gen_f_[1].data(), gen_f_[2].data());
  if (rc != 0 && gen_error_ == 0) gen_error_ = rc;
}

void Stepper::generated_velocity_terms(const Columns& c, double t) {
  for (auto& column : gen_v_) std::fill(column.begin(), column.begin() + (ptrdiff_t)c.n, 0.0);
  use_threads(threads_);
  const br_gen_input in = generated_input(c, t);
  const int rc =
      generated_->forces->accelerations(in, kGenVelocityTerms, gen_v_[0].data(), gen_v_[1].data(), gen_v_[2].data());
  if (rc != 0 && gen_error_ == 0) gen_error_ = rc;
}

void Stepper::generated_kick(const AxisArgs& a, int axis, double h, const double* contact) {
  const double* f = generated_->position ? gen_f_[axis].data() : nullptr;
  const double* g = generated_->velocity ? gen_v_[axis].data() : nullptr;
  for (size_t i = a.lo; i < a.hi; i++) {
    double acc = (double)a.a[i];
    if (contact) acc += contact[i];  // soft-sphere contact accelerations of this kick
    if (f) acc += f[i];
    if (g) acc += g[i];
    a.v[i] = (float)((double)a.v[i] + acc * h);
  }
}

void Stepper::wrap_periodic(const Columns& c, size_t lo, size_t hi) const {
  float* columns[3] = {c.px, c.py, c.pz};
  for (int k = 0; k < 3; k++) {
    float* col = columns[k];
    const double min = plan_.periodic_min[k], L = plan_.periodic_length[k];
    const double top = min + L;
    for (size_t i = lo; i < hi; i++) {
      const double x = col[i];
      if (x >= min && x < top) continue;  // inside: the formula would give it back
      const float w = (float)(x - L * floor((x - min) / L));
      col[i] = (double)w >= top ? (float)min : w;  // NaN stays NaN
    }
  }
}

namespace {

/** d − L·round(d/L) with JavaScript's Math.round (half up), as the reference's nearestImage. */
inline double nearest_image(double d, double L) { return d - L * floor(d / L + 0.5); }

}  // namespace

void Stepper::periodic_collision_impulses(const Columns& c, size_t lo, size_t hi) {
  // Every pair through the nearest image, in index order: O(N) per particle. The contact grid has
  // no periodic images; periodic systems with collisions are small in the suite and the scenes.
  const double bounce = plan_.bounce;
  const double* L = plan_.periodic_length;
  for (size_t i = lo; i < hi; i++) {
    const double xi = c.px[i], yi = c.py[i], zi = c.pz[i], ri = c.radius[i];
    const double ui = c.vx[i], vi = c.vy[i], wi = c.vz[i], mi = c.mass[i];
    const double inv_mi = 1.0 / mi;
    double sx = 0, sy = 0, sz = 0;
    for (size_t j = 0; j < c.n; j++) {
      if (j == i) continue;
      collision_impulse_at(nearest_image((double)c.px[j] - xi, L[0]), nearest_image((double)c.py[j] - yi, L[1]),
                           nearest_image((double)c.pz[j] - zi, L[2]), ui, vi, wi, ri, mi, inv_mi, c.vx[j], c.vy[j],
                           c.vz[j], c.radius[j], c.mass[j], bounce, sx, sy, sz);
    }
    impulse_[0][i] = sx;
    impulse_[1][i] = sy;
    impulse_[2][i] = sz;
  }
}

void Stepper::apply_periodic_impulses(const Columns& c, size_t lo, size_t hi) {
  for (size_t i = lo; i < hi; i++) {
    c.vx[i] = (float)((double)c.vx[i] + impulse_[0][i]);
    c.vy[i] = (float)((double)c.vy[i] + impulse_[1][i]);
    c.vz[i] = (float)((double)c.vz[i] + impulse_[2][i]);
  }
}

bool Stepper::generated_cache_matches(const Columns& c) const {
  if (generated_->topology != gen_cache_topology_) return false;
  if (generated_->position_time && first_step_ != gen_cache_step_) return false;
  const size_t m = 1 + generated_->attributes.size();
  if (gen_cache_inputs_.size() != m * c.n) return false;
  for (size_t k = 0; k < m; k++) {
    const float* col = k == 0 ? c.radius : generated_->attributes[k - 1];
    if (memcmp(col, gen_cache_inputs_.data() + k * c.n, c.n * sizeof(float)) != 0) return false;
  }
  return true;
}

void Stepper::remember_generated(const Columns& c) {
  const size_t m = 1 + generated_->attributes.size();
  gen_cache_inputs_.resize(m * c.n);
  for (size_t k = 0; k < m; k++) {
    const float* col = k == 0 ? c.radius : generated_->attributes[k - 1];
    memcpy(gen_cache_inputs_.data() + k * c.n, col, c.n * sizeof(float));
  }
  gen_cache_topology_ = generated_->topology;
  gen_cache_step_ = first_step_;
}

double Stepper::generated_potential(const Columns& c, double t) const {
  if (!generated_ || c.n == 0) return 0.0;
  use_threads(threads_);
  return generated_->forces->potential(generated_input(c, t));
}

}  // namespace brokenrecord
