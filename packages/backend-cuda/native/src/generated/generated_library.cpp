#include "generated_library.h"

#include <dlfcn.h>

#include <stdexcept>

namespace brokenrecord {

namespace {

typedef uint32_t (*VersionFn)(void);
typedef int (*AccelerationsFn)(const br_gen_input*, uint32_t, double*, double*, double*);
typedef double (*PotentialFn)(const br_gen_input*);

class GeneratedLibrary final : public GeneratedForces {
 public:
  explicit GeneratedLibrary(const std::string& path) {
    handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle_) throw std::runtime_error("loading the generated terms failed: " + std::string(dlerror()));
    VersionFn version = (VersionFn)dlsym(handle_, "br_gen_abi_version");
    accelerations_ = (AccelerationsFn)dlsym(handle_, "br_gen_accelerations");
    potential_ = (PotentialFn)dlsym(handle_, "br_gen_potential");
    if (!version || !accelerations_ || !potential_) {
      dlclose(handle_);
      throw std::runtime_error("the generated object " + path + " lacks an entry point of the generated ABI");
    }
    if (version() != BR_GEN_ABI_VERSION) {
      const uint32_t found = version();
      dlclose(handle_);
      throw std::runtime_error("the generated object " + path + " has ABI version " + std::to_string(found) +
                               ", this addon reads version " + std::to_string(BR_GEN_ABI_VERSION));
    }
  }
  ~GeneratedLibrary() override { dlclose(handle_); }
  GeneratedLibrary(const GeneratedLibrary&) = delete;
  GeneratedLibrary& operator=(const GeneratedLibrary&) = delete;

  int accelerations(const br_gen_input& in, uint32_t what, double* ax, double* ay, double* az) override {
    return accelerations_(&in, what, ax, ay, az);
  }
  double potential(const br_gen_input& in) override { return potential_(&in); }
  const char* path() const override { return "compiled"; }

 private:
  void* handle_ = nullptr;
  AccelerationsFn accelerations_ = nullptr;
  PotentialFn potential_ = nullptr;
};

}  // namespace

std::unique_ptr<GeneratedForces> load_generated_library(const std::string& path) {
  return std::make_unique<GeneratedLibrary>(path);
}

}  // namespace brokenrecord
