// The N-API surface: NativeContext (one simulation on the device executor or the host executor)
// and deviceReport() for the probe.
#include <brokenrecord/diagnostics_array.h>
#include <napi.h>

#include <algorithm>
#include <memory>
#include <string>

#include "device_error.h"
#include "device_info.h"
#include "executor.h"
#include "generated/generated_from_js.h"
#include "generated/nvrtc.h"
#include "plan_from_js.h"

namespace brokenrecord {

namespace {

/** A C++ failure as a JS Error; a CUDA failure carries its runtime name and whether memory ran out. */
[[noreturn]] void rethrow(Napi::Env env, const std::exception& e) {
  Napi::Error error = Napi::Error::New(env, e.what());
  if (auto* device = dynamic_cast<const DeviceError*>(&e)) {
    error.Set("cudaError", Napi::String::New(env, device->name()));
    error.Set("outOfMemory", Napi::Boolean::New(env, device->out_of_memory()));
  }
  throw error;
}

class NativeContext : public Napi::ObjectWrap<NativeContext> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(
        env, "NativeContext",
        {InstanceMethod<&NativeContext::Write>("write"), InstanceMethod<&NativeContext::Read>("read"),
         InstanceMethod<&NativeContext::WriteTerms>("writeTerms"), InstanceMethod<&NativeContext::Step>("step"),
         InstanceMethod<&NativeContext::Diagnostics>("diagnostics"),
         InstanceMethod<&NativeContext::Checkpoint>("checkpoint"), InstanceMethod<&NativeContext::Rollback>("rollback"),
         InstanceMethod<&NativeContext::FirstNonFinite>("firstNonFinite"),
         InstanceMethod<&NativeContext::UnresolvedContactSteps>("unresolvedContactSteps"),
         InstanceMethod<&NativeContext::Dispose>("dispose")});
  }

  /** new NativeContext(plan, 'device' | 'host', generated?) (generated: the plan's terms as code, generated_from_js.h)
   */
  explicit NativeContext(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeContext>(info) {
    Napi::Env env = info.Env();
    if (!info[0].IsObject()) throw Napi::TypeError::New(env, "NativeContext(plan, mode): plan must be an object");
    CudaPlan plan = plan_from_js(info[0].As<Napi::Object>());
    plan.generated = generated_from_js(info[2], info[0].As<Napi::Object>().Get("dt").As<Napi::Number>().DoubleValue());
    const bool host = info[1].IsString() && info[1].As<Napi::String>().Utf8Value() == "host";
    try {
      executor_ = host ? make_host_executor(plan) : make_device_executor(plan);
    } catch (const std::exception& e) {
      rethrow(env, e);
    }
  }

 private:
  Executor& live(Napi::Env env) {
    if (!executor_) throw Napi::Error::New(env, "the CUDA context has been disposed");
    return *executor_;
  }

  /** The eight Float32Array arguments, all of one length. */
  static size_t columns(const Napi::CallbackInfo& info, float* (&out)[kColumns]) {
    size_t n = 0;
    for (int c = 0; c < kColumns; c++) {
      if (!info[c].IsTypedArray() || info[c].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
        throw Napi::TypeError::New(info.Env(), "expected eight Float32Array columns");
      }
      Napi::Float32Array a = info[c].As<Napi::Float32Array>();
      if (c > 0 && a.ElementLength() != n) throw Napi::RangeError::New(info.Env(), "columns differ in length");
      n = a.ElementLength();
      out[c] = a.Data();
    }
    return n;
  }

  void Write(const Napi::CallbackInfo& info) {
    Executor& e = live(info.Env());
    float* cols[kColumns];
    const size_t n = columns(info, cols);
    const float* const(&in)[kColumns] = reinterpret_cast<const float* const(&)[kColumns]>(cols);
    try {
      e.write(in, n);
    } catch (const std::exception& ex) {
      rethrow(info.Env(), ex);
    }
  }

  void Read(const Napi::CallbackInfo& info) {
    Executor& e = live(info.Env());
    float* cols[kColumns];
    if (columns(info, cols) != e.count())
      throw Napi::RangeError::New(info.Env(), "read(): columns must hold count() particles");
    try {
      e.read(cols);
    } catch (const std::exception& ex) {
      rethrow(info.Env(), ex);
    }
  }

  /** writeTerms(terms): the arrays the generated terms read, after every write() (generated_from_js.h). */
  void WriteTerms(const Napi::CallbackInfo& info) {
    Executor& e = live(info.Env());
    if (!info[0].IsObject()) throw Napi::TypeError::New(info.Env(), "writeTerms(terms): terms must be an object");
    TermData terms = terms_from_js(info[0].As<Napi::Object>());
    try {
      e.write_terms(std::move(terms));
    } catch (const std::exception& ex) {
      rethrow(info.Env(), ex);
    }
  }

  /** step(n, first): first is the simulation's step count before these (the time of the terms). */
  void Step(const Napi::CallbackInfo& info) {
    Executor& e = live(info.Env());
    const double steps = info[0].As<Napi::Number>().DoubleValue();
    const double first = info[1].IsNumber() ? info[1].As<Napi::Number>().DoubleValue() : 0.0;
    try {
      e.step((long long)steps, (long long)first);
    } catch (const std::exception& ex) {
      rethrow(info.Env(), ex);
    }
  }

  Napi::Value Diagnostics(const Napi::CallbackInfo& info) {
    Executor& e = live(info.Env());
    double sums[kMoments];
    const double time = info[0].IsNumber() ? info[0].As<Napi::Number>().DoubleValue() : 0.0;
    try {
      e.diagnostics(sums, time);
    } catch (const std::exception& ex) {
      rethrow(info.Env(), ex);
    }
    // The executors reduce Σ m x; JavaScript gets the one diagnostics array of every addon.
    center_of_mass_from_sums(sums);
    Napi::Float64Array out = Napi::Float64Array::New(info.Env(), kDiagnosticsLength);
    for (int k = 0; k < kDiagnosticsLength; k++) out[k] = sums[k];
    return out;
  }

  void Checkpoint(const Napi::CallbackInfo& info) {
    Executor& e = live(info.Env());
    try {
      e.checkpoint();
    } catch (const std::exception& ex) {
      rethrow(info.Env(), ex);
    }
  }

  void Rollback(const Napi::CallbackInfo& info) {
    Executor& e = live(info.Env());
    try {
      e.rollback();
    } catch (const std::exception& ex) {
      rethrow(info.Env(), ex);
    }
  }

  /** Steps whose collisions reached the sweep limit still applying impulses (counted where the state lives). */
  Napi::Value UnresolvedContactSteps(const Napi::CallbackInfo& info) {
    Executor& e = live(info.Env());
    return Napi::Number::New(info.Env(), (double)e.unresolved_contact_steps());
  }

  Napi::Value FirstNonFinite(const Napi::CallbackInfo& info) {
    Executor& e = live(info.Env());
    long long first = -1;
    try {
      first = e.first_non_finite();
    } catch (const std::exception& ex) {
      rethrow(info.Env(), ex);
    }
    return Napi::Number::New(info.Env(), (double)first);
  }

  void Dispose(const Napi::CallbackInfo&) { executor_.reset(); }

  std::unique_ptr<Executor> executor_;
};

Napi::Value DeviceReportJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const DeviceReport r = query_devices();
  Napi::Object o = Napi::Object::New(env);
  o.Set("builtWithCuda", r.built_with_cuda);
  o.Set("count", r.count);
  o.Set("error", r.error);
  o.Set("errorName", r.error_name);
  o.Set("errorText", r.error_text);
  o.Set("runtimeVersion", r.runtime_version);
  o.Set("driverVersion", r.driver_version);
  Napi::Array devices = Napi::Array::New(env, r.devices.size());
  for (size_t i = 0; i < r.devices.size(); i++) {
    Napi::Object d = Napi::Object::New(env);
    d.Set("name", r.devices[i].name);
    d.Set("major", r.devices[i].major);
    d.Set("minor", r.devices[i].minor);
    d.Set("memory", (double)r.devices[i].memory);
    devices.Set((uint32_t)i, d);
  }
  o.Set("devices", devices);
  return o;
}

/** nvrtcReport(): { available, version, reason } (generated/nvrtc.h). */
Napi::Value NvrtcReportJs(const Napi::CallbackInfo& info) {
  const NvrtcStatus s = nvrtc_status();
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("available", s.available);
  o.Set("version", s.version);
  o.Set("reason", s.reason);
  return o;
}

/** compileNvrtc(source, name, options[]): { image?: Uint8Array, log, error? }. */
Napi::Value CompileNvrtcJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString() || !info[1].IsString() || !info[2].IsArray())
    throw Napi::TypeError::New(env, "compileNvrtc(source, name, options)");
  std::vector<std::string> options;
  Napi::Array list = info[2].As<Napi::Array>();
  for (uint32_t k = 0; k < list.Length(); k++) options.push_back(list.Get(k).As<Napi::String>().Utf8Value());
  const NvrtcResult r =
      nvrtc_compile(info[0].As<Napi::String>().Utf8Value(), info[1].As<Napi::String>().Utf8Value(), options);
  Napi::Object o = Napi::Object::New(env);
  o.Set("log", r.log);
  if (r.ok) {
    Napi::Uint8Array image = Napi::Uint8Array::New(env, r.image.size());
    std::copy(r.image.begin(), r.image.end(), image.Data());
    o.Set("image", image);
  } else {
    o.Set("error", r.error);
  }
  return o;
}

}  // namespace

}  // namespace brokenrecord

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeContext", brokenrecord::NativeContext::Define(env));
  exports.Set("deviceReport", Napi::Function::New(env, brokenrecord::DeviceReportJs));
  exports.Set("nvrtcReport", Napi::Function::New(env, brokenrecord::NvrtcReportJs));
  exports.Set("compileNvrtc", Napi::Function::New(env, brokenrecord::CompileNvrtcJs));
  return exports;
}

NODE_API_MODULE(brokenrecord_cuda, InitAddon)
