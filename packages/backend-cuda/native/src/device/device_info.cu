// cudaGetDeviceCount and each device's name and compute capability. With the static runtime the
// addon loads without a driver, and this reports error 35 (insufficient driver) with no devices.
#include <cuda_runtime.h>
#include "../device_info.h"

namespace brokenrecord {

DeviceReport query_devices() {
  DeviceReport r;
  r.built_with_cuda = true;
  cudaRuntimeGetVersion(&r.runtime_version);
  cudaDriverGetVersion(&r.driver_version);  // 0 when no driver is installed
  const cudaError_t status = cudaGetDeviceCount(&r.count);
  if (status != cudaSuccess) {
    r.error = (int)status;
    r.error_name = cudaGetErrorName(status);
    r.error_text = cudaGetErrorString(status);
    r.count = 0;
    cudaGetLastError();  // clear the sticky-free error so later calls start clean
    return r;
  }
  for (int d = 0; d < r.count; d++) {
    cudaDeviceProp prop;
    if (cudaGetDeviceProperties(&prop, d) != cudaSuccess) continue;
    r.devices.push_back(DeviceDescription{prop.name, prop.major, prop.minor, prop.totalGlobalMem});
  }
  return r;
}

}  // namespace brokenrecord
