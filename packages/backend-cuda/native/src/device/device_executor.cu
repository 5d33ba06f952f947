// The device executor: the state in device memory from write() to read(), every step of a call
// queued on one stream from this one native call (no host synchronisation between steps), one
// synchronisation at the end of the call so that a failure is reported by the call that caused it.
#include <algorithm>
#include <stdexcept>
#include <vector>

#include "../executor.h"
#include "device_check.h"
#include "device_terms.h"
#include "gravity_tree_device.h"
#include "kernels.h"

namespace brokenrecord {

namespace {

class DeviceExecutor final : public Executor {
 public:
  explicit DeviceExecutor(const CudaPlan& plan) : plan_(plan) {
    int count = 0;
    check(cudaGetDeviceCount(&count), "no CUDA device");
    if (count == 0)
      throw DeviceError("no CUDA device (cudaGetDeviceCount found 0 devices)", "cudaErrorNoDevice", false);
    check(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "creating a stream");
    if (plan_.generated.present) terms_ = std::make_unique<DeviceTerms>(plan_.generated);
  }
  ~DeviceExecutor() override {
    if (stream_) cudaStreamDestroy(stream_);
  }

  void write(const float* const (&columns)[kColumns], size_t n) override {
    if (n > 0xffffffffu / 2) throw DeviceError("too many particles for 32-bit grid indices", "tooMany", true);
    n_ = (unsigned)n;
    forces_valid_ = false;
    has_checkpoint_ = false;
    reserve();
    for (int c = 0; c < kColumns; c++) {
      check(cudaMemcpyAsync(state_[c].get(), columns[c], n * sizeof(float), cudaMemcpyHostToDevice, stream_),
            "uploading the state");
    }
    r_max_ = largest_radius(columns[7], n);
    check(cudaStreamSynchronize(stream_), "uploading the state");
  }

  void read(float* const (&columns)[kColumns]) override {
    for (int c = 0; c < kColumns; c++) {
      check(cudaMemcpyAsync(columns[c], state_[c].get(), (size_t)n_ * sizeof(float), cudaMemcpyDeviceToHost, stream_),
            "reading the state back");
    }
    check(cudaStreamSynchronize(stream_), "reading the state back");
  }

  size_t count() const override { return n_; }

  long long unresolved_contact_steps() const override {
    if (!unresolved_.get()) return 0;
    unsigned long long steps = 0;
    check(cudaMemcpyAsync(&steps, unresolved_.get(), sizeof steps, cudaMemcpyDeviceToHost, stream_),
          "reading the contact counter");
    check(cudaStreamSynchronize(stream_), "reading the contact counter");
    return (long long)steps;
  }

  /** Device-to-device copies into backup columns grown with the state (contents are overwritten). */
  void checkpoint() override {
    for (int c = 0; c < kSteppedColumns; c++) {
      backup_[c].reserve(std::max<unsigned>(n_, 1), "allocating the checkpoint");
      check(cudaMemcpyAsync(backup_[c].get(), state_[c].get(), (size_t)n_ * sizeof(float), cudaMemcpyDeviceToDevice,
                            stream_),
            "saving a checkpoint");
    }
    check(cudaStreamSynchronize(stream_), "saving a checkpoint");
    has_checkpoint_ = true;
  }

  void rollback() override {
    if (!has_checkpoint_) throw std::logic_error("rollback without a checkpoint since the last write");
    for (int c = 0; c < kSteppedColumns; c++) {
      check(cudaMemcpyAsync(state_[c].get(), backup_[c].get(), (size_t)n_ * sizeof(float), cudaMemcpyDeviceToDevice,
                            stream_),
            "restoring a checkpoint");
    }
    // The forces were computed from positions the rollback discards.
    forces_valid_ = false;
    check(cudaStreamSynchronize(stream_), "restoring a checkpoint");
  }

  long long first_non_finite() override {
    if (n_ == 0) return -1;
    first_bad_.reserve(1, "allocating the non-finite scan");
    launch_first_non_finite(view(), first_bad_.get(), stream_);
    unsigned first = 0;
    check(cudaMemcpyAsync(&first, first_bad_.get(), sizeof first, cudaMemcpyDeviceToHost, stream_),
          "reading the non-finite scan");
    check(cudaStreamSynchronize(stream_), "scanning for non-finite values");
    return first == 0xffffffffu ? -1 : (long long)first;
  }

  void write_terms(TermData terms) override {
    if (!terms_) return;
    terms_->write(terms, stream_);
    forces_valid_ = false;
  }

  void step(long long steps, long long first) override {
    if (steps <= 0 || n_ == 0) return;
    const DeviceState s = view();
    const MotionPlan& m = plan_.motion;
    if (plan_.per_particle()) {
      while (steps > 0) {
        const int chunk = (int)std::min<long long>(steps, 1 << 30);
        launch_advance_alone(m, s, chunk, stream_);
        steps -= chunk;
      }
    } else {
      // Step k of the call starts at t = (first + k) * dt (docs/physics.md: time).
      auto time = [&](long long k) { return (double)(first + k) * plan_.generated.dt; };
      if (m.verlet && !forces_valid_) position_forces(s, time(0));
      for (long long k = 0; k < steps; k++) {
        if (m.verlet) {
          kick(s, m.half, time(k));
          contacts(s);
          launch_walls_and_drift(m, s, stream_);
          position_forces(s, time(k + 1));
          kick(s, m.half, time(k + 1));
        } else {
          position_forces(s, time(k));
          kick(s, m.dt, time(k));
          contacts(s);
          launch_walls_and_drift(m, s, stream_);
        }
      }
      forces_valid_ = m.verlet;
    }
    check(cudaStreamSynchronize(stream_), "running the steps");
  }

  void diagnostics(double (&out)[kMoments], double time) override {
    for (double& d : out) d = 0;
    if (n_ == 0) return;
    const DeviceState s = view();
    const unsigned blocks = diagnostics_blocks(n_);
    const size_t passes = std::max<size_t>(1, plan_.potentials.size());
    partials_.reserve(passes * blocks * kMoments, "allocating diagnostics");
    for (size_t p = 0; p < passes; p++) {
      const PotentialRule* rule = p < plan_.potentials.size() ? &plan_.potentials[p] : nullptr;
      if (rule && rule->pairwise && uses_gravity_tree(rule->method, (long long)n_)) {
        out[kPotential] += tree_.potential(s, *rule, stream_);  // the tree's, not all pairs
        rule = nullptr;
      }
      launch_diagnostics(s, p == 0, rule, partials_.get() + p * blocks * kMoments, stream_);
    }
    std::vector<double> host(passes * blocks * kMoments);
    check(cudaMemcpyAsync(host.data(), partials_.get(), host.size() * sizeof(double), cudaMemcpyDeviceToHost, stream_),
          "reading diagnostics");
    check(cudaStreamSynchronize(stream_), "computing diagnostics");
    for (size_t row = 0; row < passes * blocks; row++) {
      for (int k = 0; k < kMoments; k++) out[k] += host[row * kMoments + k];
    }
    if (terms_) out[kPotential] += terms_->potential(s, time, stream_);
    out[kPotential] += contact_potential(s);
  }

 private:
  DeviceState view() const {
    return DeviceState{state_[0].get(), state_[1].get(), state_[2].get(),
                       state_[3].get(), state_[4].get(), state_[5].get(),
                       state_[6].get(), state_[7].get(), n_};
  }

  void reserve() {
    const size_t n = std::max<unsigned>(n_, 1);
    for (auto& c : state_) c.reserve(n, "allocating the state");
    if (terms_) terms_->resize(n_);
    if (!plan_.pairwise.empty())
      for (auto& f : force_) f.reserve(n, "allocating forces");
    if (plan_.collisions || plan_.contacts) {  // contacts: their accelerations in dv_
      if (plan_.contacts)
        for (auto& d : dv_) d.reserve(n, "allocating contact accelerations");
      if (plan_.collisions) {
        counts_.reserve((size_t)n + 1, "allocating the contact search");
        starts_.reserve((size_t)n + 1, "allocating the contact search");
        min_partner_.reserve(n, "allocating the contact search");
        const size_t scan = contact_scan_scratch_bytes((unsigned)n);
        scan_scratch_.reserve(std::max<size_t>(scan, 1), "allocating the contact search");
        scan_scratch_bytes_ = std::max(scan, scan_scratch_bytes_);
        if (!unresolved_.get()) {
          unresolved_.reserve(1, "allocating the contact counter");
          check(cudaMemsetAsync(unresolved_.get(), 0, sizeof(unsigned long long), stream_),
                "clearing the contact counter");
        }
      }
      size_t buckets = 1024;
      while (buckets < 2 * n && buckets < (1u << 26)) buckets <<= 1;
      buckets_ = (unsigned)buckets;
      key_bits_ = 0;
      while ((1u << key_bits_) < buckets_) key_bits_++;
      for (auto* a : {&keys_, &keys_sorted_, &order_in_, &order_}) a->reserve(n, "allocating the contact grid");
      begin_.reserve(buckets, "allocating the contact grid");
      end_.reserve(buckets, "allocating the contact grid");
      const size_t bytes = grid_sort_scratch_bytes((unsigned)n);
      sort_scratch_.reserve(std::max<size_t>(bytes, 1), "allocating the contact grid");
      sort_scratch_bytes_ = std::max(bytes, sort_scratch_bytes_);
    }
  }

  void pairwise(const DeviceState& s) {
    bool first = true, built = false;
    for (const PairwiseTerm& term : plan_.pairwise) {
      if (uses_gravity_tree(term.method, (long long)n_)) {
        if (!built) tree_.build(s, stream_);
        built = true;
        tree_.add_term(term, first, force_[0].get(), force_[1].get(), force_[2].get(), stream_);
      } else {
        launch_pairwise_gravity(s, term, first, force_[0].get(), force_[1].get(), force_[2].get(), stream_);
      }
      first = false;
    }
  }

  /** What does not read velocities: pairwise gravity, the generated position terms at t. */
  void position_forces(const DeviceState& s, double t) {
    pairwise(s);
    if (terms_) terms_->position(s, t, stream_);
  }

  void kick(const DeviceState& s, float h, double t) {
    const bool forces = !plan_.pairwise.empty();
    if (plan_.contacts && r_max_ > 0.0) {
      kick_with_contacts(s, h, t, forces);
      return;
    }
    if (terms_) {
      const double* a[3];
      terms_->velocity(s, t, stream_, a);
      const double* const(&acc)[3] = a;
      launch_kick_terms(plan_.motion, s, forces ? force_[0].get() : nullptr, forces ? force_[1].get() : nullptr,
                        forces ? force_[2].get() : nullptr, acc, h, stream_);
      return;
    }
    launch_kick(plan_.motion, s, forces ? force_[0].get() : nullptr, forces ? force_[1].get() : nullptr,
                forces ? force_[2].get() : nullptr, h, stream_);
  }

  /** The collision grid over the current positions, and what its kernels read. */
  ContactInputs contact_grid(const DeviceState& s) {
    const GridShape shape{1.0 / cell_size_for(r_max_), buckets_ - 1};
    const GridBuffers g{keys_.get(),  keys_sorted_.get(), order_in_.get(),     order_.get(),
                        begin_.get(), end_.get(),         sort_scratch_.get(), sort_scratch_bytes_};
    build_contact_grid(s, shape, key_bits_, g, stream_);
    return ContactInputs{shape, order_.get(), begin_.get(), end_.get(), s.px,     s.py,        s.pz,
                         s.vx,  s.vy,         s.vz,         s.mass,     s.radius, plan_.bounce};
  }

  /** Soft-sphere contacts (physics/soft_contacts.h): every particle's contact acceleration, then the kick. */
  void kick_with_contacts(const DeviceState& s, float h, double t, bool forces) {
    const ContactInputs in = contact_grid(s);
    double* const contact[3] = {dv_[0].get(), dv_[1].get(), dv_[2].get()};
    launch_contact_forces(s, in, plan_.contact_law, contact, stream_);
    const double* terms[3] = {nullptr, nullptr, nullptr};
    if (terms_) terms_->velocity(s, t, stream_, terms);
    const float* const f[3] = {forces ? force_[0].get() : nullptr, forces ? force_[1].get() : nullptr,
                               forces ? force_[2].get() : nullptr};
    const double* const c[3] = {contact[0], contact[1], contact[2]};
    const double* const tr[3] = {terms[0], terms[1], terms[2]};
    launch_kick_contacts(plan_.motion, s, f, c, tr, h, stream_);
  }

  /** Σ over overlapping pairs of their elastic energy: one row per particle, summed here in index order. */
  double contact_potential(const DeviceState& s) {
    if (!plan_.contacts || !(r_max_ > 0.0)) return 0;
    const ContactInputs in = contact_grid(s);
    launch_contact_energy(s, in, plan_.contact_law, dv_[0].get(), stream_);
    std::vector<double> rows(n_);
    check(cudaMemcpyAsync(rows.data(), dv_[0].get(), n_ * sizeof(double), cudaMemcpyDeviceToHost, stream_),
          "reading contact energies");
    check(cudaStreamSynchronize(stream_), "computing contact energies");
    double u = 0;
    for (double r : rows) u += r;
    return u;
  }

  void contacts(const DeviceState& s) {
    if (!plan_.collisions || !(r_max_ > 0.0)) return;
    const ContactInputs in = contact_grid(s);
    const ContactScratch c{counts_.get(), starts_.get(), scan_scratch_.get(), scan_scratch_bytes_};
    // The one host synchronisation of a step with collisions: the pair count sizes the buffers.
    const unsigned count = find_contacts(in, s.n, c, stream_);
    if (count == 0) return;
    pairs_.reserve(count, "allocating contact pairs");
    level_.reserve(count, "allocating contact pairs");
    level_start_.reserve((size_t)count + 1, "allocating contact pairs");
    by_level_.reserve(count, "allocating contact pairs");
    write_contacts(in, s.n, starts_.get(), pairs_.get(), stream_);
    const LevelBuffers b{pairs_.get(), count, level_.get(), min_partner_.get(), level_start_.get(), by_level_.get()};
    launch_resolve_contacts(b, s, plan_.bounce, unresolved_.get(), stream_);
  }

  CudaPlan plan_;
  cudaStream_t stream_ = nullptr;
  unsigned n_ = 0;
  double r_max_ = 0;
  bool forces_valid_ = false;
  DeviceArray<float> state_[kColumns];
  DeviceArray<float> force_[3];
  DeviceArray<double> dv_[3];  // soft-sphere contact accelerations
  DeviceArray<unsigned> counts_, starts_, min_partner_, level_start_, by_level_;
  DeviceArray<int> level_;
  DeviceArray<ContactPair> pairs_;
  DeviceArray<unsigned char> scan_scratch_;
  size_t scan_scratch_bytes_ = 0;
  DeviceArray<unsigned long long> unresolved_;
  DeviceArray<unsigned> keys_, keys_sorted_, order_in_, order_, begin_, end_;
  DeviceArray<unsigned char> sort_scratch_;
  size_t sort_scratch_bytes_ = 0;
  unsigned buckets_ = 1024;
  int key_bits_ = 10;
  DeviceArray<double> partials_;
  DeviceGravityTree tree_;  // pairwise terms on the tree
  DeviceArray<float> backup_[kSteppedColumns];
  bool has_checkpoint_ = false;
  DeviceArray<unsigned> first_bad_;
  std::unique_ptr<DeviceTerms> terms_;
};

}  // namespace

std::unique_ptr<Executor> make_device_executor(const CudaPlan& plan) { return std::make_unique<DeviceExecutor>(plan); }

}  // namespace brokenrecord
