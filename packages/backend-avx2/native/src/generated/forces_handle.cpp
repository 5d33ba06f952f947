#include "forces_handle.h"

#include <string>

#include "compiled_forces.h"

namespace brokenrecord {

namespace {

// Marks the externals this addon made, so no other External reaches the cast below.
const napi_type_tag kForcesTag = {0x6272676e666f7263ULL, 0x657368616e646c65ULL};

struct Holder {
  std::shared_ptr<GeneratedForces> forces;
};

}  // namespace

Napi::Value forces_to_js(Napi::Env env, std::shared_ptr<GeneratedForces> forces) {
  auto* holder = new Holder{std::move(forces)};
  Napi::External<Holder> handle = Napi::External<Holder>::New(env, holder, [](Napi::Env, Holder* h) { delete h; });
  handle.TypeTag(&kForcesTag);
  return handle;
}

std::shared_ptr<GeneratedForces> forces_from_js(Napi::Value value) {
  if (!value.IsExternal() || !value.As<Napi::External<Holder>>().CheckTypeTag(&kForcesTag)) {
    throw Napi::TypeError::New(value.Env(), "expected a generated-forces handle (loadCompiledForces)");
  }
  return value.As<Napi::External<Holder>>().Data()->forces;
}

Napi::Value LoadCompiledForcesJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString())
    throw Napi::TypeError::New(env, "loadCompiledForces(path) expects a string");
  std::string why;
  std::unique_ptr<GeneratedForces> forces = load_compiled_forces(info[0].As<Napi::String>().Utf8Value(), why);
  if (!forces) throw Napi::Error::New(env, why);
  return forces_to_js(env, std::shared_ptr<GeneratedForces>(std::move(forces)));
}

}  // namespace brokenrecord
