#include "compiled_forces.h"

#include <dlfcn.h>

namespace brokenrecord {

namespace {

typedef uint32_t (*VersionFn)(void);
typedef int (*AccelerationsFn)(const br_gen_input*, uint32_t, double*, double*, double*);
typedef double (*PotentialFn)(const br_gen_input*);

class CompiledForces final : public GeneratedForces {
 public:
  CompiledForces(void* handle, AccelerationsFn accelerations, PotentialFn potential)
      : handle_(handle), accelerations_(accelerations), potential_(potential) {}
  ~CompiledForces() override { dlclose(handle_); }
  CompiledForces(const CompiledForces&) = delete;
  CompiledForces& operator=(const CompiledForces&) = delete;

  int accelerations(const br_gen_input& in, uint32_t what, double* ax, double* ay, double* az) override {
    return accelerations_(&in, what, ax, ay, az);
  }
  double potential(const br_gen_input& in) override { return potential_(&in); }
  const char* path() const override { return "compiled"; }

 private:
  void* handle_;
  AccelerationsFn accelerations_;
  PotentialFn potential_;
};

}  // namespace

std::unique_ptr<GeneratedForces> load_compiled_forces(const std::string& path, std::string& why) {
  // RTLD_LOCAL: two systems' objects define the same entry points; each is reached only through
  // its own handle.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* error = dlerror();
    why = std::string("cannot load generated code ") + path + ": " + (error ? error : "dlopen failed");
    return nullptr;
  }
  auto version = (VersionFn)dlsym(handle, "br_gen_abi_version");
  auto accelerations = (AccelerationsFn)dlsym(handle, "br_gen_accelerations");
  auto potential = (PotentialFn)dlsym(handle, "br_gen_potential");
  if (!version || !accelerations || !potential) {
    dlclose(handle);
    why = "generated code " + path + " lacks an entry point of the generated ABI";
    return nullptr;
  }
  const uint32_t found = version();
  if (found != BR_GEN_ABI_VERSION) {
    dlclose(handle);
    why = "generated code " + path + " has ABI version " + std::to_string(found) + ", this addon reads version " +
          std::to_string(BR_GEN_ABI_VERSION);
    return nullptr;
  }
  return std::make_unique<CompiledForces>(handle, accelerations, potential);
}

}  // namespace brokenrecord
