// Runs the generated kernels of one system (compiled as C++ with cuda_shim.h) the way the device
// executor launches them, and the host driver of the same source (loaded with dlopen), on the same
// input; prints "identical" when accelerations and potential agree bit for bit, else the first
// difference. Input (binary, little endian): see test/generated-emulation.test.ts.
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <algorithm>
#include <functional>
#include <numeric>
#include <thread>
#include <vector>

#include "brokenrecord/generated_abi.h"
#include "generated/cuda_aux.h"
#include "cuda_shim.h"

thread_local br_dim3 threadIdx, blockIdx;
br_dim3 blockDim;
static std::barrier<>* block_barrier = nullptr;
void br_sync_threads() { block_barrier->arrive_and_wait(); }

extern "C" {
void br_position_terms(br_gen_input in, double* ax, double* ay, double* az);
void br_velocity_terms(br_gen_input in, double* ax, double* ay, double* az);
void br_two_body(br_gen_input in, br_cuda_aux aux, double* ax, double* ay, double* az);
void br_grid_keys(br_gen_input in, uint32_t mask, uint32_t* keys, uint32_t* order);
void br_grid_ranges(const uint32_t* keys, uint32_t n, uint32_t* begin, uint32_t* end);
void br_energy(br_gen_input in, br_cuda_aux aux, double* partials);
}

static void launch(unsigned n, unsigned block, const std::function<void()>& kernel) {
  blockDim.x = block;
  for (unsigned b = 0; b * block < n; b++) {
    std::barrier<> barrier((std::ptrdiff_t)block);
    block_barrier = &barrier;
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < block; t++)
      threads.emplace_back([&, t] {
        threadIdx.x = t;
        blockIdx.x = b;
        kernel();
      });
    for (auto& th : threads) th.join();
  }
}

static FILE* input;
template <class T>
static std::vector<T> take(size_t n) {
  std::vector<T> v(n ? n : 1);
  if (n && fread(v.data(), sizeof(T), n, input) != n) {
    fprintf(stderr, "short input\n");
    exit(3);
  }
  return v;
}

static int differ(const char* what, const double* a, const double* b, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (memcmp(&a[i], &b[i], sizeof(double)) != 0) {
      printf("%s[%zu]: kernels %.17g, host driver %.17g\n", what, i, a[i], b[i]);
      return 1;
    }
  }
  return 0;
}

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  void* lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    fprintf(stderr, "%s\n", dlerror());
    return 2;
  }
  typedef int (*AccelFn)(const br_gen_input*, uint32_t, double*, double*, double*);
  typedef double (*EnergyFn)(const br_gen_input*);
  AccelFn host_accelerations = (AccelFn)dlsym(lib, "br_gen_accelerations");
  EnergyFn host_potential = (EnergyFn)dlsym(lib, "br_gen_potential");
  if (!host_accelerations || !host_potential) return 2;
  input = fopen(argv[2], "rb");
  if (!input) return 2;
  // Header: n, attributes, tables, total per-bond columns, ex entries, bond entries, flags (grid, two body).
  const std::vector<uint32_t> head = take<uint32_t>(8);
  const uint32_t n = head[0], nattr = head[1], ntables = head[2], nparams = head[3], nex = head[4], nentries = head[5];
  const bool grid = head[6] != 0, two_body = head[7] != 0;
  const double t = take<double>(1)[0];
  std::vector<std::vector<float>> cols, attrs, params;
  for (int c = 0; c < 8; c++) cols.push_back(take<float>(n));
  for (uint32_t k = 0; k < nattr; k++) attrs.push_back(take<float>(n));
  std::vector<uint32_t> counts = take<uint32_t>(ntables);
  std::vector<std::vector<int32_t>> bi, bj;
  for (uint32_t k = 0; k < ntables; k++) {
    bi.push_back(take<int32_t>(counts[k]));
    bj.push_back(take<int32_t>(counts[k]));
  }
  const std::vector<uint32_t> param_len = take<uint32_t>(nparams);
  for (uint32_t p = 0; p < nparams; p++) params.push_back(take<float>(param_len[p]));
  std::vector<uint32_t> ex_start = take<uint32_t>(n + 1), ex_list = take<uint32_t>(nex);
  std::vector<uint32_t> bond_start = take<uint32_t>(n + 1), bond_table = take<uint32_t>(nentries),
                        bond_index = take<uint32_t>(nentries);

  std::vector<const float*> attr_ptr, param_ptr;
  std::vector<const int32_t*> bi_ptr, bj_ptr;
  for (auto& a : attrs) attr_ptr.push_back(a.data());
  for (auto& p : params) param_ptr.push_back(p.data());
  for (uint32_t k = 0; k < ntables; k++) {
    bi_ptr.push_back(bi[k].data());
    bj_ptr.push_back(bj[k].data());
  }
  attr_ptr.push_back(nullptr);
  param_ptr.push_back(nullptr);
  bi_ptr.push_back(nullptr);
  bj_ptr.push_back(nullptr);
  br_gen_input in = {};
  in.version = BR_GEN_ABI_VERSION;
  in.count = n;
  in.t = t;
  in.px = cols[0].data();
  in.py = cols[1].data();
  in.pz = cols[2].data();
  in.vx = cols[3].data();
  in.vy = cols[4].data();
  in.vz = cols[5].data();
  in.mass = cols[6].data();
  in.radius = cols[7].data();
  in.attributes = attr_ptr.data();
  in.bond_count = counts.data();
  in.bond_i = bi_ptr.data();
  in.bond_j = bj_ptr.data();
  in.bond_params = param_ptr.data();
  in.ex_start = ex_start.data();
  in.ex_list = ex_list.data();

  // The host driver.
  std::vector<double> h[3], hv[3], e[3], ev[3];
  for (int k = 0; k < 3; k++) h[k].assign(n, 0.0), hv[k].assign(n, 0.0), e[k].assign(n, 0.0), ev[k].assign(n, 0.0);
  if (host_accelerations(&in, 1, h[0].data(), h[1].data(), h[2].data()) != 0) return 4;
  if (host_accelerations(&in, 2, hv[0].data(), hv[1].data(), hv[2].data()) != 0) return 4;
  const double host_u = host_potential(&in);

  // The kernels, as device/device_terms.cu launches them (the CUB sort as a stable sort).
  br_cuda_aux aux = {};
  aux.version = BR_CUDA_AUX_VERSION;
  aux.bond_start = bond_start.data();
  aux.bond_table = bond_table.data();
  aux.bond_index = bond_index.data();
  size_t buckets = 1024;
  while (buckets < 2 * (size_t)n && buckets < ((size_t)1 << 26)) buckets <<= 1;
  std::vector<uint32_t> keys(n), order_in(n), order(n), sorted(n), begin(buckets, 0), end(buckets, 0);
  if (grid) {
    aux.mask = (uint32_t)(buckets - 1);
    launch(n, 128, [&] { br_grid_keys(in, aux.mask, keys.data(), order_in.data()); });
    order = order_in;
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return keys[a] < keys[b]; });
    for (uint32_t s = 0; s < n; s++) sorted[s] = keys[order[s]];
    launch(n, 128, [&] { br_grid_ranges(sorted.data(), n, begin.data(), end.data()); });
    aux.order = order.data();
    aux.begin = begin.data();
    aux.end = end.data();
  }
  launch(n, 128, [&] { br_position_terms(in, e[0].data(), e[1].data(), e[2].data()); });
  if (two_body) launch(n, BR_CUDA_TWO_BODY_BLOCK, [&] { br_two_body(in, aux, e[0].data(), e[1].data(), e[2].data()); });
  launch(n, 128, [&] { br_velocity_terms(in, ev[0].data(), ev[1].data(), ev[2].data()); });
  const unsigned blocks = (n + BR_CUDA_ENERGY_BLOCK - 1) / BR_CUDA_ENERGY_BLOCK;
  std::vector<double> partials(blocks ? blocks : 1, 0.0);
  launch(n, BR_CUDA_ENERGY_BLOCK, [&] { br_energy(in, aux, partials.data()); });
  double kernel_u = 0.0;
  for (unsigned b = 0; b < blocks; b++) kernel_u += partials[b];

  const char* names[3] = {"ax", "ay", "az"};
  const char* vnames[3] = {"velocity ax", "velocity ay", "velocity az"};
  for (int k = 0; k < 3; k++)
    if (differ(names[k], e[k].data(), h[k].data(), n) || differ(vnames[k], ev[k].data(), hv[k].data(), n)) return 1;
  if (memcmp(&kernel_u, &host_u, sizeof(double)) != 0) {
    printf("potential: kernels %.17g, host driver %.17g\n", kernel_u, host_u);
    return 1;
  }
  printf("identical (n = %u, potential %.17g, ax[0] %.17g)\n", n, host_u, h[0][0]);
  return 0;
}
