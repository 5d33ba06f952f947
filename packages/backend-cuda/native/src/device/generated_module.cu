#include "generated_module.h"

#include <dlfcn.h>

#include <string>

#include "device_check.h"

namespace brokenrecord {

namespace {

// The few driver entry points used, declared here (cuda.h is not needed to build, the driver not
// needed to load the addon). CUresult is an int; 0 is CUDA_SUCCESS.
typedef int (*ModuleLoadData)(void** module, const void* image);
typedef int (*ModuleUnload)(void* module);
typedef int (*ModuleGetFunction)(void** function, void* module, const char* name);
typedef int (*LaunchKernel)(void* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                            unsigned shared, cudaStream_t stream, void** params, void** extra);
typedef int (*GetErrorName)(int status, const char** name);

struct Driver {
  ModuleLoadData load = nullptr;
  ModuleUnload unload = nullptr;
  ModuleGetFunction get_function = nullptr;
  LaunchKernel launch = nullptr;
  GetErrorName error_name = nullptr;
  std::string failure;
};

const Driver& driver() {
  static const Driver d = [] {
    Driver out;
    void* lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
      out.failure = std::string("the CUDA driver library could not be opened (") + dlerror() + ")";
      return out;
    }
    out.load = (ModuleLoadData)dlsym(lib, "cuModuleLoadData");
    out.unload = (ModuleUnload)dlsym(lib, "cuModuleUnload");
    out.get_function = (ModuleGetFunction)dlsym(lib, "cuModuleGetFunction");
    out.launch = (LaunchKernel)dlsym(lib, "cuLaunchKernel");
    out.error_name = (GetErrorName)dlsym(lib, "cuGetErrorName");
    if (!out.load || !out.unload || !out.get_function || !out.launch || !out.error_name)
      out.failure = "the CUDA driver library lacks the module entry points";
    return out;
  }();
  return d;
}

[[noreturn]] void fail(int status, const std::string& what) {
  const char* name = "CUDA_ERROR_UNKNOWN";
  if (driver().error_name) driver().error_name(status, &name);
  throw DeviceError(what + " (" + name + ")", name, status == 2 /* CUDA_ERROR_OUT_OF_MEMORY */);
}

}  // namespace

GeneratedModule::GeneratedModule(const std::vector<unsigned char>& image) {
  const Driver& d = driver();
  if (!d.failure.empty()) throw DeviceError("loading the generated terms: " + d.failure, "driverUnavailable", false);
  if (image.empty()) throw DeviceError("the generated terms have no device module", "noModule", false);
  // The primary context the runtime uses for everything else becomes current on this thread.
  check(cudaFree(nullptr), "initialising the CUDA context");
  std::vector<unsigned char> text(image);
  text.push_back(0);  // PTX is read as a NUL-terminated string; cubin and fatbin ignore the byte
  int status = d.load(&module_, text.data());
  if (status != 0) fail(status, "loading the generated device module");
  const struct {
    void** slot;
    const char* name;
  } functions[] = {{&position_, "br_position_terms"}, {&velocity_, "br_velocity_terms"}, {&two_body_, "br_two_body"},
                   {&grid_keys_, "br_grid_keys"},     {&grid_ranges_, "br_grid_ranges"}, {&energy_, "br_energy"}};
  for (const auto& f : functions) {
    status = d.get_function(f.slot, module_, f.name);
    if (status != 0) {
      d.unload(module_);
      fail(status, std::string("the generated device module lacks ") + f.name);
    }
  }
}

GeneratedModule::~GeneratedModule() {
  if (module_) driver().unload(module_);
}

void GeneratedModule::launch(void* function, unsigned n, unsigned block, void** args, cudaStream_t stream,
                             const char* name) {
  if (n == 0) return;
  const int status = driver().launch(function, (n + block - 1) / block, 1, 1, block, 1, 1, 0, stream, args, nullptr);
  if (status != 0) fail(status, std::string("launching ") + name);
}

namespace {
constexpr unsigned kBlock = 128;
}

void GeneratedModule::position(const br_gen_input& in, double* ax, double* ay, double* az, cudaStream_t stream) {
  br_gen_input arg = in;
  void* args[] = {&arg, &ax, &ay, &az};
  launch(position_, in.count, kBlock, args, stream, "br_position_terms");
}

void GeneratedModule::velocity(const br_gen_input& in, double* ax, double* ay, double* az, cudaStream_t stream) {
  br_gen_input arg = in;
  void* args[] = {&arg, &ax, &ay, &az};
  launch(velocity_, in.count, kBlock, args, stream, "br_velocity_terms");
}

void GeneratedModule::two_body(const br_gen_input& in, const br_cuda_aux& aux, double* ax, double* ay, double* az,
                               cudaStream_t stream) {
  br_gen_input arg = in;
  br_cuda_aux a = aux;
  void* args[] = {&arg, &a, &ax, &ay, &az};
  launch(two_body_, in.count, BR_CUDA_TWO_BODY_BLOCK, args, stream, "br_two_body");
}

void GeneratedModule::grid_keys(const br_gen_input& in, uint32_t mask, uint32_t* keys, uint32_t* order,
                                cudaStream_t stream) {
  br_gen_input arg = in;
  void* args[] = {&arg, &mask, &keys, &order};
  launch(grid_keys_, in.count, kBlock, args, stream, "br_grid_keys");
}

void GeneratedModule::grid_ranges(const uint32_t* sorted_keys, uint32_t n, uint32_t* begin, uint32_t* end,
                                  cudaStream_t stream) {
  void* args[] = {&sorted_keys, &n, &begin, &end};
  launch(grid_ranges_, n, kBlock, args, stream, "br_grid_ranges");
}

void GeneratedModule::energy(const br_gen_input& in, const br_cuda_aux& aux, double* partials, cudaStream_t stream) {
  br_gen_input arg = in;
  br_cuda_aux a = aux;
  void* args[] = {&arg, &a, &partials};
  launch(energy_, in.count, BR_CUDA_ENERGY_BLOCK, args, stream, "br_energy");
}

}  // namespace brokenrecord
