#include "compiled_forces.h"

#include <dlfcn.h>

namespace brokenrecord {

namespace {

typedef uint32_t (*VersionFn)(void);
typedef int (*AccelerationsFn)(const br_gen_input*, uint32_t, double*, double*, double*);
typedef double (*PotentialFn)(const br_gen_input*);
typedef void* (*WorkspaceCreateFn)(void);
typedef void (*WorkspaceDestroyFn)(void*);

struct EntryPoints {
  AccelerationsFn accelerations;
  PotentialFn potential;
  WorkspaceCreateFn create;
  WorkspaceDestroyFn destroy;
};

class CompiledForces final : public GeneratedForces {
 public:
  CompiledForces(void* handle, const EntryPoints& entry, void* workspace)
      : handle_(handle), entry_(entry), workspace_(workspace) {}
  ~CompiledForces() override {
    entry_.destroy(workspace_);
    dlclose(handle_);
  }
  CompiledForces(const CompiledForces&) = delete;
  CompiledForces& operator=(const CompiledForces&) = delete;

  int accelerations(const br_gen_input& in, uint32_t what, double* ax, double* ay, double* az) override {
    br_gen_input with = in;
    with.workspace = workspace_;  // this context's neighbour list and force sums, kept across calls
    return entry_.accelerations(&with, what, ax, ay, az);
  }
  double potential(const br_gen_input& in) override { return entry_.potential(&in); }
  const char* path() const override { return "compiled"; }

 private:
  void* handle_;
  EntryPoints entry_;
  void* workspace_;
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
  if (!version) {
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
  EntryPoints entry;
  entry.accelerations = (AccelerationsFn)dlsym(handle, "br_gen_accelerations");
  entry.potential = (PotentialFn)dlsym(handle, "br_gen_potential");
  entry.create = (WorkspaceCreateFn)dlsym(handle, "br_gen_workspace_create");
  entry.destroy = (WorkspaceDestroyFn)dlsym(handle, "br_gen_workspace_destroy");
  if (!entry.accelerations || !entry.potential || !entry.create || !entry.destroy) {
    dlclose(handle);
    why = "generated code " + path + " lacks an entry point of the generated ABI";
    return nullptr;
  }
  void* workspace = entry.create();
  if (!workspace) {
    dlclose(handle);
    why = "generated code " + path + ": out of memory for its workspace";
    return nullptr;
  }
  return std::make_unique<CompiledForces>(handle, entry, workspace);
}

}  // namespace brokenrecord
