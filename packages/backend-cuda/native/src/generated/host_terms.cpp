#include "host_terms.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "generated_library.h"

namespace brokenrecord {

HostTerms::HostTerms(const GeneratedPlan& plan) : plan_(plan) {
  if (plan_.library.empty()) throw std::runtime_error("the host executor needs the generated terms' shared object");
  forces_ = load_generated_library(plan_.library);
}

void HostTerms::resize(size_t n) {
  n_ = n;
  for (int k = 0; k < 3; k++) {
    position_[k].assign(n, 0.0);
    sum_[k].assign(n, 0.0);
  }
}

void HostTerms::write(TermData data) {
  data_ = std::move(data);
  attributes_.clear();
  for (const auto& a : data_.attributes) attributes_.push_back(a.data());
  bond_params_.clear();
  for (const auto& p : data_.bond_params) bond_params_.push_back(p.data());
  bond_i_.clear();
  bond_j_.clear();
  bond_count_.clear();
  for (size_t k = 0; k < data_.bond_i.size(); k++) {
    bond_i_.push_back(data_.bond_i[k].data());
    bond_j_.push_back(data_.bond_j[k].data());
    bond_count_.push_back((uint32_t)data_.bond_i[k].size());
  }
}

br_gen_input HostTerms::input(const float* const* c, double t) {
  br_gen_input in = {};
  in.version = BR_GEN_ABI_VERSION;
  in.count = (uint32_t)n_;
  in.t = t;
  in.px = c[0];
  in.py = c[1];
  in.pz = c[2];
  in.vx = c[3];
  in.vy = c[4];
  in.vz = c[5];
  in.mass = c[6];
  in.radius = c[7];
  in.attributes = attributes_.data();
  in.bond_count = bond_count_.data();
  in.bond_i = bond_i_.data();
  in.bond_j = bond_j_.data();
  in.bond_params = bond_params_.data();
  in.ex_start = data_.ex_start.empty() ? nullptr : data_.ex_start.data();
  in.ex_list = data_.ex_list.empty() ? nullptr : data_.ex_list.data();
  return in;
}

void HostTerms::check(int rc, const char* what) const {
  if (rc == 0) return;
  throw std::runtime_error(std::string("the generated terms failed ") + what + " (error " + std::to_string(rc) +
                           (rc == -2 ? ": out of memory for the cell grid)" : ")"));
}

void HostTerms::position(const float* const* columns, double t) {
  for (int k = 0; k < 3; k++) std::fill(position_[k].begin(), position_[k].end(), 0.0);
  if (!plan_.position && !plan_.two_body) return;
  const br_gen_input in = input(columns, t);
  check(forces_->accelerations(in, kGenPositionTerms, position_[0].data(), position_[1].data(), position_[2].data()),
        "evaluating the position terms");
}

void HostTerms::velocity(const float* const* columns, double t, const double* (&out)[3]) {
  if (!plan_.velocity) {
    for (int k = 0; k < 3; k++) out[k] = position_[k].data();
    return;
  }
  for (int k = 0; k < 3; k++) {
    sum_[k] = position_[k];
    out[k] = sum_[k].data();
  }
  const br_gen_input in = input(columns, t);
  check(forces_->accelerations(in, kGenVelocityTerms, sum_[0].data(), sum_[1].data(), sum_[2].data()),
        "evaluating the velocity terms");
}

double HostTerms::potential(const float* const* columns, double t) {
  if (!plan_.energy) return 0.0;
  const br_gen_input in = input(columns, t);
  return forces_->potential(in);
}

}  // namespace brokenrecord
