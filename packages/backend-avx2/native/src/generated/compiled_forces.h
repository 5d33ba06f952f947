// Expression terms compiled for one system into a shared object (native-common's codegen:
// generateCpp + compileGenerated), loaded with dlopen and called through the versioned C ABI of
// brokenrecord/generated_abi.h.
#ifndef BROKENRECORD_COMPILED_FORCES_H
#define BROKENRECORD_COMPILED_FORCES_H

#include <brokenrecord/generated_forces.h>
#include <memory>
#include <string>

namespace brokenrecord {

/**
 * Loads the object at `path`; on failure returns nullptr and says why (not found, not a shared
 * object, a missing entry point, another ABI version).
 */
std::unique_ptr<GeneratedForces> load_compiled_forces(const std::string& path, std::string& why);

}  // namespace brokenrecord

#endif
