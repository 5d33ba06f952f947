// Linked instead of the device sources when the addon is built without a CUDA compiler: the host
// executor still works (and is tested), and the probe says why the device backend cannot run.
#include "../device_error.h"
#include "../device_info.h"
#include "../executor.h"

namespace brokenrecord {

DeviceReport query_devices() { return DeviceReport{}; }

std::unique_ptr<Executor> make_device_executor(const CudaPlan&) {
  throw DeviceError("the CUDA backend was built without CUDA (no CUDA compiler at build time)", "notBuilt", false);
}

}  // namespace brokenrecord
