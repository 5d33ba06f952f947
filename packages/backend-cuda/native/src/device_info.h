// What the probe asks: whether the addon was built with CUDA, and the devices the runtime sees.
#ifndef BROKENRECORD_CUDA_DEVICE_INFO_H
#define BROKENRECORD_CUDA_DEVICE_INFO_H

#include <string>
#include <vector>

namespace brokenrecord {

struct DeviceDescription {
  std::string name;
  int major = 0, minor = 0;  // compute capability
  size_t memory = 0;         // bytes
};

struct DeviceReport {
  bool built_with_cuda = false;
  int count = 0;
  int error = 0;  // cudaGetDeviceCount's status (0: success)
  std::string error_name, error_text;
  int runtime_version = 0, driver_version = 0;
  std::vector<DeviceDescription> devices;
};

DeviceReport query_devices();

}  // namespace brokenrecord

#endif
