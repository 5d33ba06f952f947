#include "generated_from_js.h"

namespace brokenrecord {

namespace {

bool flag(const Napi::Object& o, const char* name) {
  const Napi::Value v = o.Get(name);
  return v.IsBoolean() && v.As<Napi::Boolean>().Value();
}

template <class Array, class T>
std::vector<T> copy_typed(const Napi::Value& v, const char* what) {
  if (!v.IsTypedArray())
    throw Napi::TypeError::New(v.Env(), std::string("generated terms: ") + what + " must be a typed array");
  Array a = v.As<Array>();
  return std::vector<T>(a.Data(), a.Data() + a.ElementLength());
}

template <class Array, class T>
std::vector<std::vector<T>> copy_list(const Napi::Object& o, const char* name) {
  const Napi::Value v = o.Get(name);
  if (!v.IsArray()) throw Napi::TypeError::New(o.Env(), std::string("generated terms: ") + name + " must be an array");
  Napi::Array list = v.As<Napi::Array>();
  std::vector<std::vector<T>> out;
  for (uint32_t k = 0; k < list.Length(); k++) out.push_back(copy_typed<Array, T>(list.Get(k), name));
  return out;
}

}  // namespace

GeneratedPlan generated_from_js(const Napi::Value& value, double dt) {
  GeneratedPlan g;
  g.dt = dt;
  if (!value.IsObject()) return g;
  const Napi::Object o = value.As<Napi::Object>();
  g.present = true;
  if (o.Get("library").IsString()) g.library = o.Get("library").As<Napi::String>().Utf8Value();
  if (o.Get("image").IsTypedArray()) g.image = copy_typed<Napi::Uint8Array, unsigned char>(o.Get("image"), "image");
  if (!o.Get("kernels").IsObject()) throw Napi::TypeError::New(o.Env(), "generated terms: kernels must be an object");
  const Napi::Object k = o.Get("kernels").As<Napi::Object>();
  g.position = flag(k, "position");
  g.velocity = flag(k, "velocity");
  g.two_body = flag(k, "twoBody");
  g.grid = flag(k, "grid");
  g.bonds = flag(k, "bonds");
  g.energy = flag(k, "energy");
  return g;
}

TermData terms_from_js(const Napi::Object& o) {
  TermData t;
  t.attributes = copy_list<Napi::Float32Array, float>(o, "attributes");
  t.bond_i = copy_list<Napi::Int32Array, int32_t>(o, "bondI");
  t.bond_j = copy_list<Napi::Int32Array, int32_t>(o, "bondJ");
  t.bond_params = copy_list<Napi::Float32Array, float>(o, "bondParams");
  t.ex_start = copy_typed<Napi::Uint32Array, uint32_t>(o.Get("exStart"), "exStart");
  t.ex_list = copy_typed<Napi::Uint32Array, uint32_t>(o.Get("exList"), "exList");
  t.bond_start = copy_typed<Napi::Uint32Array, uint32_t>(o.Get("bondStart"), "bondStart");
  t.bond_table = copy_typed<Napi::Uint32Array, uint32_t>(o.Get("bondTable"), "bondTable");
  t.bond_index = copy_typed<Napi::Uint32Array, uint32_t>(o.Get("bondIndex"), "bondIndex");
  if (t.bond_i.size() != t.bond_j.size())
    throw Napi::RangeError::New(o.Env(), "generated terms: bondI and bondJ differ in length");
  for (size_t k = 0; k < t.bond_i.size(); k++)
    if (t.bond_i[k].size() != t.bond_j[k].size())
      throw Napi::RangeError::New(o.Env(), "generated terms: a bond table's i and j differ in length");
  return t;
}

}  // namespace brokenrecord
