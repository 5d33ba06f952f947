// CUDA runtime statuses as DeviceError (see ../device_error.h), named by the runtime.
#ifndef BROKENRECORD_CUDA_DEVICE_CHECK_H
#define BROKENRECORD_CUDA_DEVICE_CHECK_H

#include <cuda_runtime.h>
#include <string>
#include "../device_error.h"

namespace brokenrecord {

inline void check(cudaError_t status, const char* what) {
  if (status == cudaSuccess) return;
  throw DeviceError(std::string(what) + ": " + cudaGetErrorString(status), cudaGetErrorName(status),
                    status == cudaErrorMemoryAllocation);
}

/** A launch's own error (bad configuration) right away; its execution errors surface at the next sync. */
inline void check_launch(const char* kernel) { check(cudaGetLastError(), kernel); }

/** Owns one device allocation of `count` T. */
template <class T>
class DeviceArray {
 public:
  DeviceArray() = default;
  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;
  ~DeviceArray() { release(); }

  /** Grows to at least `count` elements (contents are not kept). */
  void reserve(size_t count, const char* what) {
    if (count <= capacity_) return;
    release();
    check(cudaMalloc(&data_, count * sizeof(T)), what);
    capacity_ = count;
  }
  void release() {
    if (data_) cudaFree(data_);
    data_ = nullptr;
    capacity_ = 0;
  }
  T* get() const { return data_; }

 private:
  T* data_ = nullptr;
  size_t capacity_ = 0;
};

}  // namespace brokenrecord

#endif
