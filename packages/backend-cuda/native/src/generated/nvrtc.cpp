#include "nvrtc.h"

#include <dlfcn.h>

namespace brokenrecord {

namespace {

// The entry points used, declared here so that building needs no CUDA toolkit; nvrtcResult is an
// int (0 is NVRTC_SUCCESS), nvrtcProgram a pointer.
typedef void* Program;
struct Api {
  int (*version)(int*, int*) = nullptr;
  int (*create)(Program*, const char*, const char*, int, const char* const*, const char* const*) = nullptr;
  int (*compile)(Program, int, const char* const*) = nullptr;
  int (*log_size)(Program, size_t*) = nullptr;
  int (*log)(Program, char*) = nullptr;
  int (*cubin_size)(Program, size_t*) = nullptr;
  int (*cubin)(Program, char*) = nullptr;
  int (*destroy)(Program*) = nullptr;
  const char* (*error)(int) = nullptr;
  NvrtcStatus status;
};

const char* const kLibraries[] = {"libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2"};

// NVRTC has no C library headers: the one the generated source includes, for the sizes it uses.
const char* const kStdint =
    "#pragma once\n"
    "typedef signed char int8_t; typedef unsigned char uint8_t; typedef short int16_t; typedef unsigned short "
    "uint16_t;\n"
    "typedef int int32_t; typedef unsigned int uint32_t; typedef long long int64_t; typedef unsigned long long "
    "uint64_t;\n"
    "typedef unsigned long long uintptr_t;\n";

template <class F>
bool bind(void* lib, F& slot, const char* name) {
  slot = (F)dlsym(lib, name);
  return slot != nullptr;
}

const Api& api() {
  static const Api a = [] {
    Api out;
    void* lib = nullptr;
    std::string tried;
    for (const char* name : kLibraries) {
      lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
      if (lib) break;
      tried += std::string(tried.empty() ? "" : "; ") + dlerror();
    }
    if (!lib) {
      out.status.reason = "NVRTC could not be opened (" + tried + ")";
      return out;
    }
    const bool complete = bind(lib, out.version, "nvrtcVersion") && bind(lib, out.create, "nvrtcCreateProgram") &&
                          bind(lib, out.compile, "nvrtcCompileProgram") &&
                          bind(lib, out.log_size, "nvrtcGetProgramLogSize") &&
                          bind(lib, out.log, "nvrtcGetProgramLog") && bind(lib, out.cubin_size, "nvrtcGetCUBINSize") &&
                          bind(lib, out.cubin, "nvrtcGetCUBIN") && bind(lib, out.destroy, "nvrtcDestroyProgram") &&
                          bind(lib, out.error, "nvrtcGetErrorString");
    if (!complete) {
      out.status.reason = "the NVRTC library found lacks entry points this addon uses (NVRTC 11.2 or newer is needed)";
      return out;
    }
    int major = 0, minor = 0;
    out.version(&major, &minor);
    out.status.available = true;
    out.status.version = std::to_string(major) + "." + std::to_string(minor);
    return out;
  }();
  return a;
}

}  // namespace

NvrtcStatus nvrtc_status() { return api().status; }

NvrtcResult nvrtc_compile(const std::string& source, const std::string& name, const std::vector<std::string>& options) {
  const Api& a = api();
  NvrtcResult r;
  if (!a.status.available) {
    r.error = a.status.reason;
    return r;
  }
  Program program = nullptr;
  const char* header_names[] = {"stdint.h"};
  const char* headers[] = {kStdint};
  int status = a.create(&program, source.c_str(), name.c_str(), 1, headers, header_names);
  if (status != 0) {
    r.error = std::string("nvrtcCreateProgram: ") + a.error(status);
    return r;
  }
  std::vector<const char*> args;
  for (const auto& o : options) args.push_back(o.c_str());
  status = a.compile(program, (int)args.size(), args.data());
  size_t size = 0;
  if (a.log_size(program, &size) == 0 && size > 1) {
    r.log.resize(size);
    a.log(program, &r.log[0]);
    r.log.resize(size - 1);
  }
  if (status != 0) {
    r.error = std::string("nvrtcCompileProgram: ") + a.error(status);
  } else if (a.cubin_size(program, &size) != 0 || size == 0) {
    r.error = "NVRTC produced no cubin (an architecture option --gpu-architecture=sm_XY is needed)";
  } else {
    r.image.resize(size);
    a.cubin(program, (char*)r.image.data());
    r.ok = true;
  }
  a.destroy(&program);
  return r;
}

}  // namespace brokenrecord
