// A failure of the CUDA runtime, carried to JavaScript with the runtime's error name so that the
// TypeScript side can map it to core's typed errors (out of memory vs. an unusable device).
#ifndef BROKENRECORD_CUDA_DEVICE_ERROR_H
#define BROKENRECORD_CUDA_DEVICE_ERROR_H

#include <stdexcept>
#include <string>

namespace brokenrecord {

class DeviceError : public std::runtime_error {
 public:
  DeviceError(const std::string& what, std::string name, bool out_of_memory)
      : std::runtime_error(what), name_(std::move(name)), out_of_memory_(out_of_memory) {}
  /** The CUDA runtime's error name, e.g. cudaErrorMemoryAllocation, or "notBuilt". */
  const std::string& name() const { return name_; }
  bool out_of_memory() const { return out_of_memory_; }

 private:
  std::string name_;
  bool out_of_memory_;
};

}  // namespace brokenrecord

#endif
