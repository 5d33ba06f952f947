#include "interpreted_forces.h"

#include <math.h>

#include <algorithm>
#include <new>

#include "bytecode_format.h"

#ifdef _OPENMP
#include <omp.h>
#endif

namespace brokenrecord {
namespace interp {

namespace {

constexpr int kErrorVersion = -1;
constexpr int kErrorMemory = -2;
// Neighbour-list skin as a fraction of the reach: LAMMPS's 0.3 for the Lennard-Jones cutoff 2.5.
constexpr double kSkin = 0.12;

inline int thread_id() {
#ifdef _OPENMP
  return omp_get_thread_num();
#else
  return 0;
#endif
}

/** emit-cpp's bonded(): j is listed among i's partners. */
inline bool bonded(const br_gen_input& in, uint32_t i, uint32_t j) {
  for (uint32_t e = in.ex_start[i]; e < in.ex_start[i + 1]; e++)
    if (in.ex_list[e] == j) return true;
  return false;
}

void load_particles(const Program& p, RegisterFile& regs, const br_gen_input& in, uint32_t i0, int lanes) {
  const float* columns[8] = {in.px, in.py, in.pz, in.vx, in.vy, in.vz, in.mass, in.radius};
  for (size_t k = 0; k < p.loads.size(); k++) {
    const Load& load = p.loads[k];
    double* d = regs.reg(p.first_load() + (uint32_t)k);
    if (load.source == kTime) {
      for (int l = 0; l < lanes; l++) d[l] = in.t;
    } else {
      const float* column = load.source == kAttribute ? in.attributes[load.index] : columns[load.source];
      for (int l = 0; l < lanes; l++) d[l] = (double)column[i0 + l];
    }
  }
}

}  // namespace

InterpretedForces::InterpretedForces(Bytecode bytecode, int threads, const std::string& isa)
    : b_(std::move(bytecode)), threads_(std::max(1, threads)), runner_(block_runner(isa)) {
  std::vector<Program*> programs;
  if (b_.particle.present) programs.push_back(&b_.particle.program);
  if (b_.velocity.present) programs.push_back(&b_.velocity.program);
  if (b_.has_external_energy) programs.push_back(&b_.external_energy);
  for (PairSection* s : {&b_.grid, &b_.all})
    if (s->present) programs.insert(programs.end(), {&s->force, &s->energy});
  for (BondSection& s : b_.bonds) programs.insert(programs.end(), {&s.force, &s.energy});
  for (size_t k = 0; k < programs.size(); k++) programs[k]->slot = (uint32_t)k;
  work_.resize((size_t)threads_);
  for (Workspace& w : work_)
    for (Program* p : programs) w.files.emplace_back(*p);
}

int InterpretedForces::update_list(const br_gen_input& in) {
  return list_.update(in, b_.grid.reach, kSkin * b_.grid.reach, b_.periodic, b_.length, b_.lo, threads_);
}

int InterpretedForces::team(size_t work) const {
  return (int)std::max<size_t>(1, std::min<size_t>((size_t)threads_, work));
}

void InterpretedForces::particle_terms(const ParticleSection& s, const br_gen_input& in, double* ax, double* ay,
                                       double* az) {
  const uint32_t n = in.count;
  const long blocks = (long)((n + kLanes - 1) / kLanes);
  const Program& p = s.program;
  const size_t terms = s.per_mass.size();
#pragma omp parallel for schedule(static) num_threads(team((size_t)blocks))
  for (long blk = 0; blk < blocks; blk++) {
    RegisterFile& regs = file(thread_id(), p);
    const uint32_t i0 = (uint32_t)blk * kLanes;
    const int lanes = (int)std::min<uint32_t>(kLanes, n - i0);
    load_particles(p, regs, in, i0, lanes);
    run_block(runner_, p, regs, lanes);
    for (int l = 0; l < lanes; l++) {
      const uint32_t i = i0 + l;
      const double mi = (double)in.mass[i];
      double sx = 0.0, sy = 0.0, sz = 0.0;
      for (size_t k = 0; k < terms; k++) {
        const double ox = regs.reg(p.outputs[3 * k])[l], oy = regs.reg(p.outputs[3 * k + 1])[l],
                     oz = regs.reg(p.outputs[3 * k + 2])[l];
        if (s.per_mass[k]) {
          sx += ox / mi;
          sy += oy / mi;
          sz += oz / mi;
        } else {
          sx += ox;
          sy += oy;
          sz += oz;
        }
      }
      ax[i] += sx;
      ay[i] += sy;
      az[i] += sz;
    }
  }
}

double InterpretedForces::external_energy(const br_gen_input& in) {
  if (!b_.has_external_energy) return 0.0;
  const Program& p = b_.external_energy;
  RegisterFile& regs = file(0, p);
  double u = 0.0;
  for (uint32_t i0 = 0; i0 < in.count; i0 += kLanes) {
    const int lanes = (int)std::min<uint32_t>(kLanes, in.count - i0);
    load_particles(p, regs, in, i0, lanes);
    run_block(runner_, p, regs, lanes);
    for (int l = 0; l < lanes; l++)
      for (uint32_t o : p.outputs) u += regs.reg(o)[l];
  }
  return u;
}

void InterpretedForces::eval_pairs(const Program& p, RegisterFile& regs, const PairLanes& lanes, const br_gen_input& in,
                                   const BondSection* bond) {
  const int n = lanes.n;
  for (size_t k = 0; k < p.loads.size(); k++) {
    const Load& load = p.loads[k];
    double* d = regs.reg(p.first_load() + (uint32_t)k);
    switch (load.source) {
      case kR:
        for (int l = 0; l < n; l++) d[l] = sqrt(lanes.r2[l]);
        break;
      case kMass1:
        for (int l = 0; l < n; l++) d[l] = (double)in.mass[lanes.i[l]];
        break;
      case kMass2:
        for (int l = 0; l < n; l++) d[l] = (double)in.mass[lanes.j[l]];
        break;
      case kRadius1:
        for (int l = 0; l < n; l++) d[l] = (double)in.radius[lanes.i[l]];
        break;
      case kRadius2:
        for (int l = 0; l < n; l++) d[l] = (double)in.radius[lanes.j[l]];
        break;
      case kAttribute1: {
        const float* column = in.attributes[load.index];
        for (int l = 0; l < n; l++) d[l] = (double)column[lanes.i[l]];
        break;
      }
      case kAttribute2: {
        const float* column = in.attributes[load.index];
        for (int l = 0; l < n; l++) d[l] = (double)column[lanes.j[l]];
        break;
      }
      default: {  // kBondParam (decode_bytecode allows it in bond programs only)
        const float* column = in.bond_params[bond->param_offset + load.index];
        for (int l = 0; l < n; l++) d[l] = (double)column[lanes.b[l]];
        break;
      }
    }
  }
  run_block(runner_, p, regs, n);
}

double InterpretedForces::pair_sum(const PairSection& s, const Program& p, const RegisterFile& regs,
                                   const PairLanes& lanes, int l, const br_gen_input& in) const {
  double sum = 0.0;
  for (size_t k = 0; k < s.terms.size(); k++) {
    const PairTerm& t = s.terms[k];
    if (t.has_cutoff && !(lanes.r2[l] < t.cutoff2)) continue;
    if (t.exclude && bonded(in, lanes.i[l], lanes.j[l])) continue;
    sum += regs.reg(p.outputs[k])[l];
  }
  return sum;
}

void InterpretedForces::pair_forces(const PairSection& s, const br_gen_input& in) {
  const uint32_t n = in.count;
  const Program& p = s.force;
  const bool grid = &s == &b_.grid;
  double* fx = fx_.data();
  double* fy = fy_.data();
  double* fz = fz_.data();
#pragma omp parallel num_threads(team(n / 64 + 1))
  {
    const int tid = thread_id();
    RegisterFile& regs = file(tid, p);
    PairLanes& lanes = work_[tid].lanes;
    lanes.n = 0;
    const auto flush = [&]() {
      eval_pairs(p, regs, lanes, in, nullptr);
      for (int l = 0; l < lanes.n; l++) {
        const double sum = pair_sum(s, p, regs, lanes, l, in);
        const uint32_t i = lanes.i[l];
        fx[i] += sum * lanes.dx[l];
        fy[i] += sum * lanes.dy[l];
        fz[i] += sum * lanes.dz[l];
      }
      lanes.n = 0;
    };
    const auto push = [&](uint32_t i, uint32_t j, double dx, double dy, double dz, double r2) {
      const int l = lanes.n++;
      lanes.i[l] = i;
      lanes.j[l] = j;
      lanes.dx[l] = dx;
      lanes.dy[l] = dy;
      lanes.dz[l] = dz;
      lanes.r2[l] = r2;
      if (lanes.n == kLanes) flush();
    };
#pragma omp for schedule(dynamic, 32)
    for (long ii = 0; ii < (long)n; ii++) {
      const uint32_t i = (uint32_t)ii;
      if (grid) {
        list_.visit(in, i, [&](uint32_t j, double dx, double dy, double dz, double r2) { push(i, j, dx, dy, dz, r2); });
      } else {
        for (uint32_t j = 0; j < n; j++) {
          if (j == i) continue;
          const double dx = (double)in.px[j] - (double)in.px[i], dy = (double)in.py[j] - (double)in.py[i],
                       dz = (double)in.pz[j] - (double)in.pz[i];
          push(i, j, dx, dy, dz, dx * dx + dy * dy + dz * dz);
        }
      }
    }
    if (lanes.n) flush();
  }
}

double InterpretedForces::pair_energy(const PairSection& s, const br_gen_input& in) {
  const uint32_t n = in.count;
  const Program& p = s.energy;
  const bool grid = &s == &b_.grid;
  RegisterFile& regs = file(0, p);
  PairLanes& lanes = work_[0].lanes;
  lanes.n = 0;
  double u = 0.0;
  const auto flush = [&]() {
    eval_pairs(p, regs, lanes, in, nullptr);
    for (int l = 0; l < lanes.n; l++) u += pair_sum(s, p, regs, lanes, l, in);
    lanes.n = 0;
  };
  // Each pair once (j > i), in the order the generated code adds them.
  const auto push = [&](uint32_t i, uint32_t j, double r2) {
    if (j <= i) return;
    const int l = lanes.n++;
    lanes.i[l] = i;
    lanes.j[l] = j;
    lanes.r2[l] = r2;
    if (lanes.n == kLanes) flush();
  };
  for (uint32_t i = 0; i < n; i++) {
    if (grid) {
      list_.visit(in, i, [&](uint32_t j, double, double, double, double r2) { push(i, j, r2); });
    } else {
      for (uint32_t j = i + 1; j < n; j++) {
        const double dx = (double)in.px[j] - (double)in.px[i], dy = (double)in.py[j] - (double)in.py[i],
                     dz = (double)in.pz[j] - (double)in.pz[i];
        push(i, j, dx * dx + dy * dy + dz * dz);
      }
    }
  }
  if (lanes.n) flush();
  return u;
}

void InterpretedForces::fill_bond_lanes(const BondSection& s, const br_gen_input& in, uint32_t b0,
                                        PairLanes& lanes) const {
  const uint32_t count = in.bond_count[s.table];
  lanes.n = (int)std::min<uint32_t>(kLanes, count - b0);
  const int32_t* bi = in.bond_i[s.table];
  const int32_t* bj = in.bond_j[s.table];
  for (int l = 0; l < lanes.n; l++) {
    const uint32_t b = b0 + l, i = (uint32_t)bi[b], j = (uint32_t)bj[b];
    double d[3] = {(double)in.px[j] - (double)in.px[i], (double)in.py[j] - (double)in.py[i],
                   (double)in.pz[j] - (double)in.pz[i]};
    if (b_.periodic)
      for (int a = 0; a < 3; a++) d[a] -= b_.length[a] * round(d[a] / b_.length[a]);
    lanes.b[l] = b;
    lanes.i[l] = i;
    lanes.j[l] = j;
    lanes.dx[l] = d[0];
    lanes.dy[l] = d[1];
    lanes.dz[l] = d[2];
    lanes.r2[l] = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
  }
}

void InterpretedForces::bond_forces(const BondSection& s, const br_gen_input& in) {
  const Program& p = s.force;
  RegisterFile& regs = file(0, p);
  PairLanes& lanes = work_[0].lanes;
  const uint32_t out = p.outputs[0];
  for (uint32_t b0 = 0; b0 < in.bond_count[s.table]; b0 += kLanes) {
    fill_bond_lanes(s, in, b0, lanes);
    eval_pairs(p, regs, lanes, in, &s);
    // One thread, in bond order: i and j of different bonds may coincide.
    for (int l = 0; l < lanes.n; l++) {
      const double f = regs.reg(out)[l];
      const uint32_t i = lanes.i[l], j = lanes.j[l];
      fx_[i] += f * lanes.dx[l];
      fy_[i] += f * lanes.dy[l];
      fz_[i] += f * lanes.dz[l];
      fx_[j] -= f * lanes.dx[l];
      fy_[j] -= f * lanes.dy[l];
      fz_[j] -= f * lanes.dz[l];
    }
  }
}

double InterpretedForces::bond_energy(const BondSection& s, const br_gen_input& in) {
  const Program& p = s.energy;
  RegisterFile& regs = file(0, p);
  PairLanes& lanes = work_[0].lanes;
  double u = 0.0;
  for (uint32_t b0 = 0; b0 < in.bond_count[s.table]; b0 += kLanes) {
    fill_bond_lanes(s, in, b0, lanes);
    eval_pairs(p, regs, lanes, in, &s);
    for (int l = 0; l < lanes.n; l++) u += regs.reg(p.outputs[0])[l];
  }
  return u;
}

int InterpretedForces::accelerations(const br_gen_input& in, uint32_t what, double* ax, double* ay, double* az) {
  if (in.version != BR_GEN_ABI_VERSION) return kErrorVersion;
  const uint32_t n = in.count;
  if ((what & kGenPositionTerms) && b_.particle.present) particle_terms(b_.particle, in, ax, ay, az);
  if ((what & kGenVelocityTerms) && b_.velocity.present) particle_terms(b_.velocity, in, ax, ay, az);
  const bool two_body = b_.grid.present || b_.all.present || !b_.bonds.empty();
  if (!(what & kGenPositionTerms) || !two_body) return 0;
  try {
    fx_.assign(n, 0.0);
    fy_.assign(n, 0.0);
    fz_.assign(n, 0.0);
  } catch (const std::bad_alloc&) {
    return kErrorMemory;
  }
  if (b_.grid.present) {
    const int rc = update_list(in);
    if (rc != 0) return rc;
    pair_forces(b_.grid, in);
  }
  if (b_.all.present) pair_forces(b_.all, in);
  for (const BondSection& s : b_.bonds) bond_forces(s, in);
  for (uint32_t i = 0; i < n; i++) {
    const double mi = (double)in.mass[i];
    ax[i] += fx_[i] / mi;
    ay[i] += fy_[i] / mi;
    az[i] += fz_[i] / mi;
  }
  return 0;
}

double InterpretedForces::potential(const br_gen_input& in) {
  if (in.version != BR_GEN_ABI_VERSION) return NAN;
  double u = external_energy(in);
  if (b_.grid.present) {
    if (update_list(in) != 0) return NAN;
    u += pair_energy(b_.grid, in);
  }
  if (b_.all.present) u += pair_energy(b_.all, in);
  for (const BondSection& s : b_.bonds) u += bond_energy(s, in);
  return u;
}

}  // namespace interp
}  // namespace brokenrecord
