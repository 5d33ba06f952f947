// A system's generated terms compiled as C++ (the host variant of the CUDA source) and loaded with
// dlopen: GeneratedForces over the C ABI of br_gen_input (brokenrecord/generated_abi.h).
#ifndef BROKENRECORD_CUDA_GENERATED_LIBRARY_H
#define BROKENRECORD_CUDA_GENERATED_LIBRARY_H

#include <brokenrecord/generated_forces.h>

#include <memory>
#include <string>

namespace brokenrecord {

/**
 * Loads the shared object at `path` (the run-time compiler's cache); throws std::runtime_error
 * naming the path when it cannot be loaded, lacks an entry point or was built for another ABI
 * version. The object stays loaded while the returned forces live.
 */
std::unique_ptr<GeneratedForces> load_generated_library(const std::string& path);

}  // namespace brokenrecord

#endif
