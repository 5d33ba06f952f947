#include "native_context.h"

#include <brokenrecord/diagnostics_array.h>

#include <string>

#include <brokenrecord/plan_from_js.h>

#include "kernel_select.h"
#include "kernels/diagnostics.h"
#include "kernels/non_finite.h"

namespace brokenrecord {

Napi::Function NativeContext::Define(Napi::Env env) {
  return DefineClass(env, "NativeContext",
                     {
                         InstanceMethod<&NativeContext::SetColumns>("setColumns"),
                         InstanceMethod<&NativeContext::Step>("step"),
                         InstanceMethod<&NativeContext::Invalidate>("invalidate"),
                         InstanceMethod<&NativeContext::Diagnostics>("diagnostics"),
                         InstanceMethod<&NativeContext::FirstNonFinite>("firstNonFinite"),
                         InstanceMethod<&NativeContext::Dispose>("dispose"),
                         InstanceAccessor<&NativeContext::Isa>("isa"),
                         InstanceAccessor<&NativeContext::Threads>("threads"),
                         InstanceAccessor<&NativeContext::Fused>("fused"),
                         InstanceAccessor<&NativeContext::UnresolvedContactSteps>("unresolvedContactSteps"),
                     });
}

/** new NativeContext(plan, { threads, isa, fuse }) */
NativeContext::NativeContext(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeContext>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsObject()) {
    throw Napi::TypeError::New(env, "NativeContext(plan, options) expects two objects");
  }
  const SimdPlan plan{plan_terms_from_js(info[0].As<Napi::Object>())};
  Napi::Object options = info[1].As<Napi::Object>();
  const int threads = options.Get("threads").IsNumber() ? options.Get("threads").As<Napi::Number>().Int32Value() : 1;
  const std::string isa = options.Get("isa").IsString() ? options.Get("isa").As<Napi::String>().Utf8Value() : "";
  const bool fuse = !options.Get("fuse").IsBoolean() || options.Get("fuse").As<Napi::Boolean>().Value();
  std::string why;
  const KernelTable* kernels = kernels_named(isa, why);
  if (!kernels) throw Napi::Error::New(env, why);
  stepper_ = std::make_unique<Stepper>(plan, *kernels, threads, fuse);
}

void NativeContext::RequireLive(Napi::Env env) const {
  if (!stepper_) throw Napi::Error::New(env, "the native context has been disposed");
}

/** setColumns(px, py, pz, vx, vy, vz, mass, radius): Float32Arrays of one length, used in place. */
Napi::Value NativeContext::SetColumns(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireLive(env);
  if (info.Length() != 8) throw Napi::TypeError::New(env, "setColumns expects 8 Float32Arrays");
  float* ptrs[8];
  size_t n = 0;
  for (size_t k = 0; k < 8; k++) {
    if (!info[k].IsTypedArray() || info[k].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
      throw Napi::TypeError::New(env, "setColumns expects 8 Float32Arrays");
    }
    Napi::Float32Array a = info[k].As<Napi::Float32Array>();
    if (k == 0) n = a.ElementLength();
    if (a.ElementLength() != n) throw Napi::RangeError::New(env, "setColumns: columns differ in length");
    ptrs[k] = a.Data();
  }
  for (size_t k = 0; k < 8; k++) column_refs_[k] = Napi::Persistent(info[k].As<Napi::Object>());
  columns_.px = ptrs[0];
  columns_.py = ptrs[1];
  columns_.pz = ptrs[2];
  columns_.vx = ptrs[3];
  columns_.vy = ptrs[4];
  columns_.vz = ptrs[5];
  columns_.mass = ptrs[6];
  columns_.radius = ptrs[7];
  columns_.n = n;
  has_columns_ = true;
  return env.Undefined();
}

/** step(n): n whole steps in this one call. */
Napi::Value NativeContext::Step(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireLive(env);
  if (!has_columns_) throw Napi::Error::New(env, "step before setColumns");
  if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "step(n) expects a number");
  const double n = info[0].As<Napi::Number>().DoubleValue();
  if (!(n >= 0) || n != (double)(int64_t)n) throw Napi::RangeError::New(env, "step(n) expects a non-negative integer");
  stepper_->step(columns_, (int64_t)n);
  return env.Undefined();
}

Napi::Value NativeContext::Invalidate(const Napi::CallbackInfo& info) {
  if (stepper_) stepper_->invalidate();
  return info.Env().Undefined();
}

/** The diagnostics array of brokenrecord/diagnostics_array.h (the centre of mass already divided). */
Napi::Value NativeContext::Diagnostics(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireLive(env);
  Columns c = has_columns_ ? columns_ : Columns{};
  const DiagnosticsResult d = compute_diagnostics(c, stepper_->plan(), stepper_->threads(), stepper_->kernels());
  Napi::Float64Array out = Napi::Float64Array::New(env, kDiagnosticsLength);
  out[kDiagKinetic] = d.kinetic;
  out[kDiagPotential] = d.potential;
  out[kDiagMass] = d.mass;
  for (int k = 0; k < 3; k++) {
    out[kDiagMomentum + k] = d.momentum[k];
    out[kDiagAngularMomentum + k] = d.angular[k];
    out[kDiagCenterOfMass + k] = d.center[k];
  }
  return out;
}

/** The first particle with a non-finite position or velocity, or -1 (none, or no columns yet). */
Napi::Value NativeContext::FirstNonFinite(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireLive(env);
  if (!has_columns_) return Napi::Number::New(env, -1);
  return Napi::Number::New(env, (double)first_non_finite(columns_, stepper_->threads()));
}

/** Frees the scratch memory and drops the column references; calling it again does nothing. */
Napi::Value NativeContext::Dispose(const Napi::CallbackInfo& info) {
  if (stepper_) {
    stepper_->release();
    stepper_.reset();
  }
  for (auto& ref : column_refs_) ref.Reset();
  has_columns_ = false;
  columns_ = Columns{};
  return info.Env().Undefined();
}

Napi::Value NativeContext::Isa(const Napi::CallbackInfo& info) {
  RequireLive(info.Env());
  return Napi::String::New(info.Env(), stepper_->kernels().isa);
}

Napi::Value NativeContext::Threads(const Napi::CallbackInfo& info) {
  RequireLive(info.Env());
  return Napi::Number::New(info.Env(), stepper_->threads());
}

Napi::Value NativeContext::Fused(const Napi::CallbackInfo& info) {
  RequireLive(info.Env());
  return Napi::Boolean::New(info.Env(), stepper_->fuses());
}

Napi::Value NativeContext::UnresolvedContactSteps(const Napi::CallbackInfo& info) {
  RequireLive(info.Env());
  return Napi::Number::New(info.Env(), (double)stepper_->unresolved_contact_steps());
}

}  // namespace brokenrecord
