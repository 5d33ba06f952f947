#include "device_terms.h"

#include <cub/device/device_radix_sort.cuh>

#include <algorithm>

namespace brokenrecord {

DeviceTerms::DeviceTerms(const GeneratedPlan& plan) : plan_(plan), module_(plan.image) {}

void DeviceTerms::resize(unsigned n) {
  n_ = n;
  const size_t size = std::max<unsigned>(n, 1);
  for (int k = 0; k < 3; k++) {
    position_[k].reserve(size, "allocating the generated terms' accelerations");
    sum_[k].reserve(size, "allocating the generated terms' accelerations");
  }
  partials_.reserve(std::max<unsigned>(GeneratedModule::energy_blocks(n), 1), "allocating the energy sums");
  if (plan_.grid) {
    // As the contact grid: a power of two >= 2n buckets, at least 1024, at most 2^26.
    size_t buckets = 1024;
    while (buckets < 2 * (size_t)n && buckets < ((size_t)1 << 26)) buckets <<= 1;
    buckets_ = (uint32_t)buckets;
    key_bits_ = 0;
    while ((1u << key_bits_) < buckets_) key_bits_++;
    for (auto* a : {&keys_, &keys_sorted_, &order_in_, &order_}) a->reserve(size, "allocating the pair grid");
    begin_.reserve(buckets, "allocating the pair grid");
    end_.reserve(buckets, "allocating the pair grid");
    size_t bytes = 0;
    check(cub::DeviceRadixSort::SortPairs(nullptr, bytes, (const uint32_t*)nullptr, (uint32_t*)nullptr,
                                          (const uint32_t*)nullptr, (uint32_t*)nullptr, (int)size),
          "sizing the pair grid sort");
    sort_scratch_.reserve(std::max<size_t>(bytes, 1), "allocating the pair grid");
    sort_scratch_bytes_ = std::max(bytes, sort_scratch_bytes_);
    aux_.mask = buckets_ - 1;
  }
}

void DeviceTerms::write(const TermData& d, cudaStream_t stream) {
  // Host images of the three value allocations and of the pointer tables, then four copies.
  std::vector<float> floats;
  std::vector<int32_t> ints;
  std::vector<uint32_t> uints;
  std::vector<size_t> attribute_at, param_at, i_at, j_at;
  for (const auto& a : d.attributes) {
    attribute_at.push_back(floats.size());
    floats.insert(floats.end(), a.begin(), a.end());
  }
  for (const auto& p : d.bond_params) {
    param_at.push_back(floats.size());
    floats.insert(floats.end(), p.begin(), p.end());
  }
  for (size_t k = 0; k < d.bond_i.size(); k++) {
    i_at.push_back(ints.size());
    ints.insert(ints.end(), d.bond_i[k].begin(), d.bond_i[k].end());
    j_at.push_back(ints.size());
    ints.insert(ints.end(), d.bond_j[k].begin(), d.bond_j[k].end());
  }
  const size_t count_at = uints.size();
  for (const auto& t : d.bond_i) uints.push_back((uint32_t)t.size());
  auto append = [&](const std::vector<uint32_t>& v) {
    const size_t at = uints.size();
    uints.insert(uints.end(), v.begin(), v.end());
    return at;
  };
  const size_t ex_start_at = append(d.ex_start), ex_list_at = append(d.ex_list);
  const size_t bond_start_at = append(d.bond_start), bond_table_at = append(d.bond_table),
               bond_index_at = append(d.bond_index);
  floats_.reserve(std::max<size_t>(floats.size(), 1), "allocating the generated terms' columns");
  ints_.reserve(std::max<size_t>(ints.size(), 1), "allocating the bond tables");
  uints_.reserve(std::max<size_t>(uints.size(), 1), "allocating the bond lists");
  float* f = floats_.get();
  int32_t* i = ints_.get();
  uint32_t* u = uints_.get();

  std::vector<const void*> pointers;
  const size_t attributes_at = pointers.size();
  for (size_t at : attribute_at) pointers.push_back(f + at);
  const size_t bond_i_at = pointers.size();
  for (size_t at : i_at) pointers.push_back(i + at);
  const size_t bond_j_at = pointers.size();
  for (size_t at : j_at) pointers.push_back(i + at);
  const size_t params_at = pointers.size();
  for (size_t at : param_at) pointers.push_back(f + at);
  pointers_.reserve(std::max<size_t>(pointers.size(), 1), "allocating the generated terms' tables");
  const void** p = pointers_.get();

  if (!floats.empty())
    check(cudaMemcpyAsync(f, floats.data(), floats.size() * sizeof(float), cudaMemcpyHostToDevice, stream),
          "uploading the generated terms' columns");
  if (!ints.empty())
    check(cudaMemcpyAsync(i, ints.data(), ints.size() * sizeof(int32_t), cudaMemcpyHostToDevice, stream),
          "uploading the bond tables");
  if (!uints.empty())
    check(cudaMemcpyAsync(u, uints.data(), uints.size() * sizeof(uint32_t), cudaMemcpyHostToDevice, stream),
          "uploading the bond lists");
  if (!pointers.empty())
    check(cudaMemcpyAsync(p, pointers.data(), pointers.size() * sizeof(const void*), cudaMemcpyHostToDevice, stream),
          "uploading the generated terms' tables");
  check(cudaStreamSynchronize(stream), "uploading the generated terms' arrays");

  base_ = br_gen_input{};
  base_.version = BR_GEN_ABI_VERSION;
  base_.attributes = (const float* const*)(p + attributes_at);
  base_.bond_count = u + count_at;
  base_.bond_i = (const int32_t* const*)(p + bond_i_at);
  base_.bond_j = (const int32_t* const*)(p + bond_j_at);
  base_.bond_params = (const float* const*)(p + params_at);
  base_.ex_start = d.ex_start.empty() ? nullptr : u + ex_start_at;
  base_.ex_list = d.ex_list.empty() ? nullptr : u + ex_list_at;
  aux_.version = BR_CUDA_AUX_VERSION;
  aux_.bond_start = u + bond_start_at;
  aux_.bond_table = u + bond_table_at;
  aux_.bond_index = u + bond_index_at;
}

br_gen_input DeviceTerms::input(const DeviceState& s, double t) const {
  br_gen_input in = base_;
  in.count = s.n;
  in.t = t;
  in.px = s.px;
  in.py = s.py;
  in.pz = s.pz;
  in.vx = s.vx;
  in.vy = s.vy;
  in.vz = s.vz;
  in.mass = s.mass;
  in.radius = s.radius;
  return in;
}

/** Bucket keys, a stable radix sort of (key, index) (the host driver's counting sort gives the same order), ranges. */
void DeviceTerms::build_grid(const br_gen_input& in, cudaStream_t stream) {
  module_.grid_keys(in, aux_.mask, keys_.get(), order_in_.get(), stream);
  size_t bytes = sort_scratch_bytes_;
  check(cub::DeviceRadixSort::SortPairs(sort_scratch_.get(), bytes, keys_.get(), keys_sorted_.get(), order_in_.get(),
                                        order_.get(), (int)in.count, 0, key_bits_, stream),
        "sorting particles by pair grid bucket");
  check(cudaMemsetAsync(begin_.get(), 0, (size_t)buckets_ * sizeof(uint32_t), stream), "clearing the pair grid");
  check(cudaMemsetAsync(end_.get(), 0, (size_t)buckets_ * sizeof(uint32_t), stream), "clearing the pair grid");
  module_.grid_ranges(keys_sorted_.get(), in.count, begin_.get(), end_.get(), stream);
  aux_.order = order_.get();
  aux_.begin = begin_.get();
  aux_.end = end_.get();
}

void DeviceTerms::position(const DeviceState& s, double t, cudaStream_t stream) {
  for (int k = 0; k < 3; k++)
    check(cudaMemsetAsync(position_[k].get(), 0, (size_t)n_ * sizeof(double), stream), "clearing the accelerations");
  if (n_ == 0) return;
  const br_gen_input in = input(s, t);
  if (plan_.position) module_.position(in, position_[0].get(), position_[1].get(), position_[2].get(), stream);
  if (plan_.two_body) {
    if (plan_.grid) build_grid(in, stream);
    module_.two_body(in, aux_, position_[0].get(), position_[1].get(), position_[2].get(), stream);
  }
}

void DeviceTerms::velocity(const DeviceState& s, double t, cudaStream_t stream, const double* (&out)[3]) {
  if (!plan_.velocity) {
    for (int k = 0; k < 3; k++) out[k] = position_[k].get();
    return;
  }
  for (int k = 0; k < 3; k++) {
    check(cudaMemcpyAsync(sum_[k].get(), position_[k].get(), (size_t)n_ * sizeof(double), cudaMemcpyDeviceToDevice,
                          stream),
          "copying the accelerations");
    out[k] = sum_[k].get();
  }
  if (n_ > 0) module_.velocity(input(s, t), sum_[0].get(), sum_[1].get(), sum_[2].get(), stream);
}

double DeviceTerms::potential(const DeviceState& s, double t, cudaStream_t stream) {
  if (!plan_.energy || n_ == 0) return 0.0;
  const br_gen_input in = input(s, t);
  if (plan_.grid) build_grid(in, stream);
  module_.energy(in, aux_, partials_.get(), stream);
  std::vector<double> host(GeneratedModule::energy_blocks(n_));
  check(cudaMemcpyAsync(host.data(), partials_.get(), host.size() * sizeof(double), cudaMemcpyDeviceToHost, stream),
        "reading the energy sums");
  check(cudaStreamSynchronize(stream), "computing the generated terms' energy");
  double u = 0.0;
  for (double b : host) u += b;
  return u;
}

}  // namespace brokenrecord
