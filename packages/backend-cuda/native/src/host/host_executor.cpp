// The host executor: the CUDA kernels' per-particle functions (physics/) run in plain loops, one
// "thread" after another, phase by phase exactly as the device launches them. It exists to test
// the device math where there is no GPU; it is not meant to be fast.
#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "../executor.h"
#include "../generated/generated_library.h"
#include "../generated/host_terms.h"
#include "../physics/contact_grid.h"
#include "../physics/contact_levels.h"
#include "../physics/finite.h"
#include "../physics/generated_kick.h"
#include "../physics/gravity_tile.h"
#include "../physics/motion.h"
#include "../physics/soft_contacts.h"
#include "host_gravity_tree.h"

namespace brokenrecord {

namespace {

class HostExecutor final : public Executor {
 public:
  explicit HostExecutor(const CudaPlan& plan) : plan_(plan) {
    if (plan_.generated.present) terms_ = std::make_unique<HostTerms>(plan_.generated);
  }

  void write(const float* const (&columns)[kColumns], size_t n) override {
    for (int c = 0; c < kColumns; c++) state_[c].assign(columns[c], columns[c] + n);
    n_ = n;
    forces_valid_ = false;
    has_checkpoint_ = false;
    for (auto& f : force_) f.assign(plan_.pairwise.empty() ? 0 : n, 0.0f);
    r_max_ = largest_radius(state_[7].data(), n);
    if (terms_) terms_->resize(n);
  }

  void write_terms(TermData terms) override {
    if (!terms_) return;
    terms_->write(std::move(terms));
    forces_valid_ = false;
  }

  void read(float* const (&columns)[kColumns]) override {
    for (int c = 0; c < kColumns; c++) std::copy(state_[c].begin(), state_[c].end(), columns[c]);
  }

  size_t count() const override { return n_; }
  long long unresolved_contact_steps() const override { return unresolved_steps_; }

  void checkpoint() override {
    for (int c = 0; c < kSteppedColumns; c++) backup_[c] = state_[c];
    has_checkpoint_ = true;
  }

  void rollback() override {
    if (!has_checkpoint_) throw std::logic_error("rollback without a checkpoint since the last write");
    for (int c = 0; c < kSteppedColumns; c++) state_[c] = backup_[c];
    // The forces were computed from positions the rollback discards.
    forces_valid_ = false;
  }

  long long first_non_finite() override {
    for (size_t i = 0; i < n_; i++) {
      if (!particle_finite(state_[0][i], state_[1][i], state_[2][i], state_[3][i], state_[4][i], state_[5][i])) {
        return (long long)i;
      }
    }
    return -1;
  }

  void step(long long steps, long long first) override {
    if (steps <= 0 || n_ == 0) return;
    const MotionPlan& m = plan_.motion;
    if (plan_.per_particle()) {
      while (steps > 0) {
        const int chunk = (int)std::min<long long>(steps, 1 << 30);
        for (size_t i = 0; i < n_; i++) {
          float x[3], v[3];
          load(i, x, v);
          advance_alone(m, x, v, state_[7][i], chunk);
          store(i, x, v);
        }
        steps -= chunk;
      }
      return;
    }
    // Step s of the call starts at t = (first + s) * dt (docs/physics.md: time).
    const double dt = plan_.generated.dt;
    auto time = [&](long long s) { return (double)(first + s) * dt; };
    if (m.verlet && !forces_valid_) position_forces(time(0));
    for (long long s = 0; s < steps; s++) {
      if (m.verlet) {
        kicks(m.half, time(s));
        contacts();
        drifts();
        position_forces(time(s + 1));
        kicks(m.half, time(s + 1));
      } else {
        position_forces(time(s));
        kicks(m.dt, time(s));
        contacts();
        drifts();
      }
    }
    forces_valid_ = m.verlet;
  }

  void diagnostics(double (&out)[kMoments], double time) override {
    for (double& d : out) d = 0;
    const float *px = state_[0].data(), *py = state_[1].data(), *pz = state_[2].data(), *mass = state_[6].data();
    for (size_t i = 0; i < n_; i++) {
      add_particle_moments(mass[i], px[i], py[i], pz[i], state_[3][i], state_[4][i], state_[5][i], out);
      for (const PotentialRule& rule : plan_.potentials) {
        if (rule.pairwise && uses_gravity_tree(rule.method, (long long)n_)) continue;  // below
        out[kPotential] += rule.pairwise
                               ? pairwise_potential_row((unsigned)i, (unsigned)n_, px, py, pz, mass, rule.G, rule.eps2)
                               : uniform_potential(mass[i], px[i], py[i], pz[i], rule.g);
      }
    }
    for (const PotentialRule& rule : plan_.potentials) {
      if (rule.pairwise && uses_gravity_tree(rule.method, (long long)n_))
        out[kPotential] += tree_.potential(px, py, pz, mass, n_, rule);
    }
    if (terms_) out[kPotential] += terms_->potential(columns(), time);
    out[kPotential] += contact_potential();
  }

 private:
  void load(size_t i, float (&x)[3], float (&v)[3]) const {
    for (int k = 0; k < 3; k++) {
      x[k] = state_[k][i];
      v[k] = state_[3 + k][i];
    }
  }
  void store(size_t i, const float (&x)[3], const float (&v)[3]) {
    for (int k = 0; k < 3; k++) {
      state_[k][i] = x[k];
      state_[3 + k][i] = v[k];
    }
  }

  const float* const* columns() const {
    for (int c = 0; c < kColumns; c++) column_ptrs_[c] = state_[c].data();
    return column_ptrs_;
  }

  /** What does not read velocities (docs/physics.md): pairwise gravity, the position terms at t. */
  void position_forces(double t) {
    pairwise();
    if (terms_) terms_->position(columns(), t);
  }

  /** Pairwise gravity of the current positions into force_, tile by tile as the device does. */
  void pairwise() {
    if (plan_.pairwise.empty()) return;
    const float *px = state_[0].data(), *py = state_[1].data(), *pz = state_[2].data(), *m = state_[6].data();
    bool first = true, built = false;
    for (const PairwiseTerm& term : plan_.pairwise) {
      if (uses_gravity_tree(term.method, (long long)n_)) {
        if (!built) tree_.build(px, py, pz, m, n_);
        built = true;
        tree_.add_term(term, first, force_[0].data(), force_[1].data(), force_[2].data());
        first = false;
        continue;
      }
      for (size_t i = 0; i < n_; i++) {
        double sx = 0, sy = 0, sz = 0;
        for (size_t j0 = 0; j0 < n_; j0 += kGravityTile) {
          const int count = (int)std::min<size_t>(kGravityTile, n_ - j0);
          const int self = i >= j0 && i < j0 + (size_t)count ? (int)(i - j0) : -1;
          gravity_from_tile(px[i], py[i], pz[i], px + j0, py + j0, pz + j0, m + j0, count, self, term.eps2, sx, sy, sz);
        }
        force_[0][i] = gravity_total(term.G, sx, first, force_[0][i]);
        force_[1][i] = gravity_total(term.G, sy, first, force_[1][i]);
        force_[2][i] = gravity_total(term.G, sz, first, force_[2][i]);
      }
      first = false;
    }
  }

  void kicks(float h, double t) {
    const bool forces = !plan_.pairwise.empty();
    if (plan_.contacts && r_max_ > 0.0) {
      kicks_with_contacts(h, t, forces);
      return;
    }
    if (terms_) {
      // The expression terms' accelerations are double (physics/generated_kick.h).
      const double* a[3];
      terms_->velocity(columns(), t, a);
      for (size_t i = 0; i < n_; i++) {
        for (int k = 0; k < 3; k++) {
          state_[3 + k][i] =
              kick_with_terms(plan_.motion, k, state_[3 + k][i], forces, forces ? force_[k][i] : 0.0f, a[k][i], h);
        }
      }
      return;
    }
    for (size_t i = 0; i < n_; i++) {
      float x[3], v[3];
      load(i, x, v);
      const float f[3] = {forces ? force_[0][i] : 0.0f, forces ? force_[1][i] : 0.0f, forces ? force_[2][i] : 0.0f};
      kick_particle(plan_.motion, v, forces ? f : nullptr, h);
      store(i, x, v);
    }
  }

  /** The grid of contact_grid.h over the current positions (stable sort by bucket), as the device builds it. */
  struct HostGrid {
    std::vector<unsigned> key, order, begin, end;
    GridShape shape;
  };
  HostGrid grid() const {
    HostGrid g;
    size_t buckets = 1024;
    while (buckets < 2 * n_ && buckets < (1u << 26)) buckets <<= 1;
    g.shape = GridShape{1.0 / cell_size_for(r_max_), (unsigned)(buckets - 1)};
    g.key.resize(n_);
    g.order.resize(n_);
    g.begin.assign(buckets, 0);
    g.end.assign(buckets, 0);
    for (size_t i = 0; i < n_; i++) g.key[i] = bucket_of_particle(state_[0][i], state_[1][i], state_[2][i], g.shape);
    std::iota(g.order.begin(), g.order.end(), 0u);
    std::stable_sort(g.order.begin(), g.order.end(), [&](unsigned a, unsigned b) { return g.key[a] < g.key[b]; });
    for (size_t s = 0; s < n_; s++) {
      const unsigned b = g.key[g.order[s]];
      if (s == 0 || g.key[g.order[s - 1]] != b) g.begin[b] = (unsigned)s;
      if (s + 1 == n_ || g.key[g.order[s + 1]] != b) g.end[b] = (unsigned)s + 1;
    }
    return g;
  }
  ContactInputs contact_inputs(const HostGrid& g) const {
    return ContactInputs{g.shape,          g.order.data(),   g.begin.data(),   g.end.data(),     state_[0].data(),
                         state_[1].data(), state_[2].data(), state_[3].data(), state_[4].data(), state_[5].data(),
                         state_[6].data(), state_[7].data(), plan_.bounce};
  }

  /** Soft-sphere contacts (physics/soft_contacts.h): every particle's contact acceleration, then the kick. */
  void kicks_with_contacts(float h, double t, bool forces) {
    const HostGrid g = grid();
    const ContactInputs in = contact_inputs(g);
    std::vector<double> contact(3 * n_);
    for (size_t i = 0; i < n_; i++)
      contact_acceleration((unsigned)i, in, plan_.contact_law, contact[3 * i], contact[3 * i + 1], contact[3 * i + 2]);
    const double* a[3] = {nullptr, nullptr, nullptr};
    if (terms_) terms_->velocity(columns(), t, a);
    for (size_t i = 0; i < n_; i++) {
      for (int k = 0; k < 3; k++) {
        state_[3 + k][i] = kick_with_contact(plan_.motion, k, state_[3 + k][i], forces, forces ? force_[k][i] : 0.0f,
                                             contact[3 * i + k], a[k] ? a[k][i] : 0.0, h);
      }
    }
  }

  /** Σ over overlapping pairs i < j of their elastic energy (diagnostics). */
  double contact_potential() const {
    if (!plan_.contacts || !(r_max_ > 0.0)) return 0;
    const HostGrid g = grid();
    const ContactInputs in = contact_inputs(g);
    double u = 0;
    for (size_t i = 0; i < n_; i++) u += contact_energy_row((unsigned)i, in, plan_.contact_law);
    return u;
  }

  void drifts() {
    for (size_t i = 0; i < n_; i++) {
      float x[3], v[3];
      load(i, x, v);
      walls_and_drift(plan_.motion, x, v, state_[7][i]);
      store(i, x, v);
    }
  }

  /**
   * Grid (stable sort by bucket); each particle's pairs with larger partners counted, offsets by
   * an exclusive scan, the pairs written; then the levelled sweeps. Each loop is one launch of
   * the device executor, in the same order.
   */
  void contacts() {
    if (!plan_.collisions || !(r_max_ > 0.0)) return;
    const HostGrid g = grid();
    const ContactInputs in = contact_inputs(g);
    std::vector<unsigned> start(n_ + 1, 0);
    for (size_t i = 0; i < n_; i++) {
      CountContacts counted;
      for_each_contact((unsigned)i, in, counted);
      start[i + 1] = counted.count;
    }
    for (size_t i = 0; i < n_; i++) start[i + 1] += start[i];
    const unsigned count = start[n_];
    if (count == 0) return;
    pairs_.resize(count);
    for (size_t i = 0; i < n_; i++) {
      WriteContacts write{pairs_.data() + start[i]};
      for_each_contact((unsigned)i, in, write);
    }
    if (resolve_levelled(count)) unresolved_steps_++;
  }

  /** The device's one-block resolve kernel, phase by phase. Returns whether the sweep limit was reached. */
  bool resolve_levelled(unsigned count) {
    level_.assign(count, -1);
    min_partner_.assign(n_, BR_NO_PARTNER);
    level_start_.assign((size_t)count + 1, 0);
    by_level_.resize(count);
    const LevelBuffers b{pairs_.data(),       count,           level_.data(), min_partner_.data(),
                         level_start_.data(), by_level_.data()};
    auto lower = [](unsigned* at, unsigned v) { *at = v < *at ? v : *at; };
    int levels = 0;
    for (unsigned left = count; left > 0; levels++) {
      for (unsigned p = 0; p < count; p++) reset_partners(b, p);
      for (unsigned p = 0; p < count; p++) propose_level(pairs_[p], b.level, p, b.min_partner, lower);
      for (unsigned p = 0; p < count; p++) left -= accept_level(pairs_[p], b.level, p, b.min_partner, levels) ? 1 : 0;
    }
    for (unsigned p = 0; p < count; p++) level_start_[level_[p] + 1]++;
    for (int l = 0; l < levels; l++) level_start_[l + 1] += level_start_[l];
    for (unsigned p = 0; p < count; p++) by_level_[level_start_[level_[p]]++] = p;
    for (int l = levels; l > 0; l--) level_start_[l] = level_start_[l - 1];
    level_start_[0] = 0;
    for (int sweep = 0; sweep < BR_COLLISION_SWEEP_LIMIT; sweep++) {
      unsigned applied = 0;
      for (int l = 0; l < levels; l++) {
        for (unsigned slot = level_start_[l]; slot < level_start_[l + 1]; slot++) {
          applied +=
              sweep_slot(b, slot, state_[3].data(), state_[4].data(), state_[5].data(), state_[6].data(), plan_.bounce)
                  ? 1
                  : 0;
        }
      }
      if (applied == 0) return false;
    }
    return true;
  }

  CudaPlan plan_;
  std::vector<float> state_[kColumns];
  std::vector<float> force_[3];
  HostGravityTree tree_;  // pairwise terms on the tree (scratch, rebuilt at each force evaluation)
  std::vector<float> backup_[kSteppedColumns];
  bool has_checkpoint_ = false;
  size_t n_ = 0;
  double r_max_ = 0;
  bool forces_valid_ = false;
  std::unique_ptr<HostTerms> terms_;
  mutable const float* column_ptrs_[kColumns] = {};
  std::vector<ContactPair> pairs_;
  std::vector<int> level_;
  std::vector<unsigned> min_partner_, level_start_, by_level_;
  long long unresolved_steps_ = 0;
};

}  // namespace

std::unique_ptr<Executor> make_host_executor(const CudaPlan& plan) { return std::make_unique<HostExecutor>(plan); }

double largest_radius(const float* radius, size_t n) {
  double r = 0;
  for (size_t i = 0; i < n; i++) r = radius[i] > r ? radius[i] : r;
  return r;
}

}  // namespace brokenrecord
