#include "native_context.h"

#include <brokenrecord/diagnostics_array.h>

#include <string>

#include <brokenrecord/plan_from_js.h>

#include "generated/forces_handle.h"
#include "kernel_select.h"
#include "kernels/diagnostics.h"
#include "kernels/non_finite.h"

namespace brokenrecord {

Napi::Function NativeContext::Define(Napi::Env env) {
  return DefineClass(env, "NativeContext",
                     {
                         InstanceMethod<&NativeContext::SetColumns>("setColumns"),
                         InstanceMethod<&NativeContext::SetExtras>("setExtras"),
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

namespace {

double number_at(Napi::Array a, uint32_t k) {
  Napi::Value v = a.Get(k);
  if (!v.IsNumber()) throw Napi::TypeError::New(a.Env(), "plan.periodic: min and length must be [x, y, z] numbers");
  return v.As<Napi::Number>().DoubleValue();
}

/** plan.periodic (core's PeriodicBox: float32 min and length), or none. */
void read_periodic(Napi::Object plan, SimdPlan& out) {
  Napi::Value p = plan.Get("periodic");
  if (!p.IsObject()) return;
  Napi::Object box = p.As<Napi::Object>();
  if (!box.Get("min").IsArray() || !box.Get("length").IsArray()) {
    throw Napi::TypeError::New(plan.Env(), "plan.periodic must have min and length arrays");
  }
  out.periodic = true;
  for (uint32_t k = 0; k < 3; k++) {
    out.periodic_min[k] = number_at(box.Get("min").As<Napi::Array>(), k);
    out.periodic_length[k] = number_at(box.Get("length").As<Napi::Array>(), k);
  }
}

bool flag(Napi::Object o, const char* key) { return o.Get(key).IsBoolean() && o.Get(key).As<Napi::Boolean>().Value(); }

}  // namespace

/**
 * new NativeContext(plan, { threads, isa, fuse, forces?, terms? }): `forces` is a generated-forces
 * handle (loadCompiledForces or the interpreter), `terms` = { position, velocity, positionTime }
 * says which kinds of terms it has.
 */
NativeContext::NativeContext(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeContext>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsObject()) {
    throw Napi::TypeError::New(env, "NativeContext(plan, options) expects two objects");
  }
  SimdPlan plan{plan_terms_from_js(info[0].As<Napi::Object>())};
  read_periodic(info[0].As<Napi::Object>(), plan);
  Napi::Object options = info[1].As<Napi::Object>();
  if (!options.Get("forces").IsUndefined()) {
    generated_ = std::make_unique<GeneratedTerms>();
    generated_->forces = forces_from_js(options.Get("forces"));
    Napi::Value terms = options.Get("terms");
    if (!terms.IsObject()) throw Napi::TypeError::New(env, "NativeContext: forces need options.terms");
    generated_->position = flag(terms.As<Napi::Object>(), "position");
    generated_->velocity = flag(terms.As<Napi::Object>(), "velocity");
    generated_->position_time = flag(terms.As<Napi::Object>(), "positionTime");
    Napi::Value dt = info[0].As<Napi::Object>().Get("dt");
    if (!dt.IsNumber()) throw Napi::TypeError::New(env, "plan.dt must be a number");
    generated_->dt = dt.As<Napi::Number>().DoubleValue();
    plan.generated = true;
  }
  const int threads = options.Get("threads").IsNumber() ? options.Get("threads").As<Napi::Number>().Int32Value() : 1;
  const std::string isa = options.Get("isa").IsString() ? options.Get("isa").As<Napi::String>().Utf8Value() : "";
  const bool fuse = !options.Get("fuse").IsBoolean() || options.Get("fuse").As<Napi::Boolean>().Value();
  std::string why;
  const KernelTable* kernels = kernels_named(isa, why);
  if (!kernels) throw Napi::Error::New(env, why);
  stepper_ = std::make_unique<Stepper>(plan, *kernels, threads, fuse);
  stepper_->set_generated(generated_.get());
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
  has_extras_ = false;  // attribute columns and bond tables are checked against this count: pass them again
  return env.Undefined();
}

namespace {

template <class T>
T* typed_data(Napi::Value v, napi_typedarray_type type, size_t n, const char* what) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type) {
    throw Napi::TypeError::New(v.Env(), std::string("setExtras: ") + what + " has the wrong array type");
  }
  Napi::TypedArray a = v.As<Napi::TypedArray>();
  if (a.ElementLength() < n) throw Napi::RangeError::New(v.Env(), std::string("setExtras: ") + what + " is too short");
  return reinterpret_cast<T*>(static_cast<uint8_t*>(a.ArrayBuffer().Data()) + a.ByteOffset());
}

}  // namespace

/**
 * setExtras({ attributes: Float32Array[], bonds: [{ count, i: Int32Array, j: Int32Array, params:
 * Float32Array[] }], exStart: Uint32Array | null, exList: Uint32Array | null, topology: number }),
 * in the generated layout's order, for the columns last given to setColumns; used in place and
 * kept alive until the next call.
 */
Napi::Value NativeContext::SetExtras(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireLive(env);
  if (!generated_) throw Napi::Error::New(env, "setExtras: this context has no expression terms");
  if (!has_columns_) throw Napi::Error::New(env, "setExtras before setColumns");
  if (info.Length() < 1 || !info[0].IsObject()) throw Napi::TypeError::New(env, "setExtras expects an object");
  Napi::Object o = info[0].As<Napi::Object>();
  const size_t n = columns_.n;
  GeneratedTerms next;
  if (!o.Get("attributes").IsArray() || !o.Get("bonds").IsArray()) {
    throw Napi::TypeError::New(env, "setExtras: attributes and bonds must be arrays");
  }
  Napi::Array attributes = o.Get("attributes").As<Napi::Array>();
  for (uint32_t k = 0; k < attributes.Length(); k++) {
    next.attributes.push_back(typed_data<float>(attributes.Get(k), napi_float32_array, n, "an attribute column"));
  }
  Napi::Array bonds = o.Get("bonds").As<Napi::Array>();
  for (uint32_t k = 0; k < bonds.Length(); k++) {
    if (!bonds.Get(k).IsObject()) throw Napi::TypeError::New(env, "setExtras: a bond table must be an object");
    Napi::Object b = bonds.Get(k).As<Napi::Object>();
    const double count = b.Get("count").IsNumber() ? b.Get("count").As<Napi::Number>().DoubleValue() : -1;
    if (!(count >= 0) || count != (double)(uint32_t)count)
      throw Napi::RangeError::New(env, "setExtras: bad bond count");
    const size_t m = (size_t)count;
    const int32_t* bi = typed_data<int32_t>(b.Get("i"), napi_int32_array, m, "a bond table's i");
    const int32_t* bj = typed_data<int32_t>(b.Get("j"), napi_int32_array, m, "a bond table's j");
    for (size_t e = 0; e < m; e++) {
      // The generated loops index columns with these: out of range would read outside the arrays.
      if (bi[e] < 0 || (size_t)bi[e] >= n || bj[e] < 0 || (size_t)bj[e] >= n) {
        throw Napi::RangeError::New(env, "setExtras: a bond names a particle outside the state");
      }
    }
    next.bond_count.push_back((uint32_t)m);
    next.bond_i.push_back(bi);
    next.bond_j.push_back(bj);
    if (!b.Get("params").IsArray())
      throw Napi::TypeError::New(env, "setExtras: a bond table's params must be an array");
    Napi::Array params = b.Get("params").As<Napi::Array>();
    for (uint32_t p = 0; p < params.Length(); p++) {
      next.bond_params.push_back(typed_data<float>(params.Get(p), napi_float32_array, m, "a per-bond value"));
    }
  }
  if (o.Get("exStart").IsTypedArray()) {
    next.ex_start = typed_data<uint32_t>(o.Get("exStart"), napi_uint32_array, n + 1, "exStart");
    const size_t total = next.ex_start[n];
    next.ex_list = typed_data<uint32_t>(o.Get("exList"), napi_uint32_array, total, "exList");
    for (size_t e = 0; e < total; e++) {
      if (next.ex_list[e] >= n)
        throw Napi::RangeError::New(env, "setExtras: an exclusion names a particle outside the state");
    }
  }
  next.topology = o.Get("topology").IsNumber() ? o.Get("topology").As<Napi::Number>().DoubleValue() : 0;
  generated_->attributes = std::move(next.attributes);
  generated_->bond_count = std::move(next.bond_count);
  generated_->bond_i = std::move(next.bond_i);
  generated_->bond_j = std::move(next.bond_j);
  generated_->bond_params = std::move(next.bond_params);
  generated_->ex_start = next.ex_start;
  generated_->ex_list = next.ex_list;
  generated_->topology = next.topology;
  extras_ref_ = Napi::Persistent(o);
  has_extras_ = true;
  return env.Undefined();
}

/** step(n, from?): n whole steps in this one call; `from` is the simulation's step count before it. */
Napi::Value NativeContext::Step(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireLive(env);
  if (!has_columns_) throw Napi::Error::New(env, "step before setColumns");
  if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "step(n) expects a number");
  const double n = info[0].As<Napi::Number>().DoubleValue();
  if (!(n >= 0) || n != (double)(int64_t)n) throw Napi::RangeError::New(env, "step(n) expects a non-negative integer");
  if (generated_ && !has_extras_) throw Napi::Error::New(env, "step before setExtras");
  if (info.Length() > 1 && info[1].IsNumber())
    stepper_->set_first_step((int64_t)info[1].As<Napi::Number>().DoubleValue());
  const int rc = stepper_->step(columns_, (int64_t)n);
  if (rc != 0) {
    Napi::Error e = Napi::Error::New(env, "the system's expression terms failed (code " + std::to_string(rc) +
                                              (rc == -2   ? ": out of memory"
                                               : rc == -1 ? ": ABI version"
                                                          : "") +
                                              ")");
    e.Set("code", Napi::String::New(env, "GENERATED_FORCES_FAILED"));
    e.Set("status", Napi::Number::New(env, rc));
    throw e;
  }
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
  DiagnosticsResult d = compute_diagnostics(c, stepper_->plan(), stepper_->threads(), stepper_->kernels());
  if (generated_ && has_extras_ && has_columns_) {
    const double t = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().DoubleValue() : 0.0;
    d.potential += stepper_->generated_potential(c, t);
  }
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
  extras_ref_.Reset();
  has_extras_ = false;
  generated_.reset();
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
