// Module entry: the NativeContext class, what the CPU offers, and the self test the probe runs
// in a child process before this module is ever loaded into the host.
#include <napi.h>

#include "cpu/cpu_features.h"
#include "interp/interp_js.h"
#include "generated/forces_handle.h"
#include "kernel_select.h"
#include "native_context.h"
#include "self_test.h"

#ifdef _OPENMP
#include <omp.h>
#endif

namespace brokenrecord {

namespace {

/** cpuFeatures(): { flags..., usable: "scalar,avx2,avx512", best: "avx512", openmp: bool, maxThreads }. */
Napi::Value CpuFeaturesJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const CpuFeatures f = detect_cpu_features();
  Napi::Object o = Napi::Object::New(env);
  o.Set("x86", f.x86);
  o.Set("osxsave", f.osxsave);
  o.Set("osYmm", f.os_ymm);
  o.Set("osZmm", f.os_zmm);
  o.Set("avx", f.avx);
  o.Set("avx2", f.avx2);
  o.Set("fma", f.fma);
  o.Set("avx512f", f.avx512f);
  o.Set("avx512dq", f.avx512dq);
  o.Set("avx512bw", f.avx512bw);
  o.Set("avx512vl", f.avx512vl);
  o.Set("usable", usable_isas());
  o.Set("best", best_kernels().isa);
#ifdef _OPENMP
  o.Set("openmp", true);
  o.Set("maxThreads", omp_get_num_procs());
#else
  o.Set("openmp", false);
  o.Set("maxThreads", 1);
#endif
  return o;
}

/** selfTest(isa?): { ok, isa, problem? } after running every kernel of that table once. */
Napi::Value SelfTestJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string isa = info.Length() > 0 && info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
  std::string why;
  const KernelTable* kernels = kernels_named(isa, why);
  Napi::Object o = Napi::Object::New(env);
  if (!kernels) {
    o.Set("ok", false);
    o.Set("problem", why);
    return o;
  }
  const std::string problem = self_test(*kernels);
  o.Set("ok", problem.empty());
  o.Set("isa", kernels->isa);
  if (!problem.empty()) o.Set("problem", problem);
  return o;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeContext", NativeContext::Define(env));
  exports.Set("cpuFeatures", Napi::Function::New<CpuFeaturesJs>(env, "cpuFeatures"));
  exports.Set("selfTest", Napi::Function::New<SelfTestJs>(env, "selfTest"));
  register_interpreter(env, exports);
  exports.Set("loadCompiledForces", Napi::Function::New<LoadCompiledForcesJs>(env, "loadCompiledForces"));
  return exports;
}

}  // namespace

}  // namespace brokenrecord

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return brokenrecord::Init(env, exports); }

NODE_API_MODULE(brokenrecord_avx2, InitModule)
