#include "interp_js.h"

#include <memory>
#include <string>
#include <vector>

#include "bytecode_format.h"
#include "generated/forces_handle.h"
#include "interpreted_forces.h"
#include "program.h"

namespace brokenrecord {

namespace {

using interp::Bytecode;
using interp::BytecodeError;
using interp::InterpretedForces;

/** A malformed bytecode as a typed JavaScript error: name BytecodeError, code BYTECODE, offset = the word. */
[[noreturn]] void throw_bytecode_error(Napi::Env env, const std::string& message, double offset) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("name", Napi::String::New(env, "BytecodeError"));
  error.Set("code", Napi::String::New(env, "BYTECODE"));
  error.Set("offset", Napi::Number::New(env, offset));
  throw error;
}

/** createInterpretedForces({ code: Uint32Array, constants: Float64Array }, { threads }?) */
Napi::Value CreateInterpretedForces(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject())
    throw_bytecode_error(env, "createInterpretedForces expects { code: Uint32Array, constants: Float64Array }", -1);
  const Napi::Object bytecode = info[0].As<Napi::Object>();
  const Napi::Value code = bytecode.Get("code"), constants = bytecode.Get("constants");
  if (!code.IsTypedArray() || code.As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array)
    throw_bytecode_error(env, "bytecode.code is not a Uint32Array", -1);
  if (!constants.IsTypedArray() || constants.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array)
    throw_bytecode_error(env, "bytecode.constants is not a Float64Array", -1);
  int threads = 1;
  std::string isa;
  if (info.Length() > 1 && info[1].IsObject()) {
    const Napi::Value i = info[1].As<Napi::Object>().Get("isa");
    if (i.IsString()) isa = i.As<Napi::String>().Utf8Value();
    const Napi::Value t = info[1].As<Napi::Object>().Get("threads");
    if (!t.IsUndefined()) {
      const double v = t.IsNumber() ? t.As<Napi::Number>().DoubleValue() : -1;
      if (!(v >= 1 && v <= 1024 && v == (double)(int)v))
        throw Napi::RangeError::New(env, "threads must be an integer in [1, 1024]");
      threads = (int)v;
    }
  }
  const Napi::Uint32Array words = code.As<Napi::Uint32Array>();
  const Napi::Float64Array pool = constants.As<Napi::Float64Array>();
  std::unique_ptr<InterpretedForces> forces;
  try {
    Bytecode decoded = interp::decode_bytecode(words.Data(), words.ElementLength(), pool.Data(), pool.ElementLength());
    forces = std::make_unique<InterpretedForces>(std::move(decoded), threads, isa);
  } catch (const BytecodeError& e) {
    throw_bytecode_error(env, e.what(), (double)e.offset);
  } catch (const std::bad_alloc&) {
    throw Napi::Error::New(env, "out of memory for the interpreter's registers");
  }
  return forces_to_js(env, std::shared_ptr<GeneratedForces>(std::move(forces)));
}

template <class T>
T typed(Napi::Env env, const Napi::Value& v, napi_typedarray_type type, const std::string& what) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type)
    throw Napi::TypeError::New(env, what + " has the wrong type");
  return v.As<T>();
}

/** evaluateInterpretedForces(handle, input, what) → { rc, ax, ay, az, potential }; input checked against the bytecode's
 * layout. */
Napi::Value EvaluateInterpretedForces(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1)
    throw Napi::TypeError::New(env, "evaluateInterpretedForces expects a handle from createInterpretedForces");
  const std::shared_ptr<InterpretedForces> forces =
      std::dynamic_pointer_cast<InterpretedForces>(forces_from_js(info[0]));
  if (!forces)
    throw Napi::TypeError::New(env, "evaluateInterpretedForces expects a handle from createInterpretedForces");
  if (info.Length() < 3 || !info[1].IsObject() || !info[2].IsNumber())
    throw Napi::TypeError::New(env, "evaluateInterpretedForces(handle, input, what)");
  const Napi::Object input = info[1].As<Napi::Object>();
  const uint32_t what = info[2].As<Napi::Number>().Uint32Value();
  const Bytecode& b = forces->bytecode();

  static const char* const kColumns[8] = {"px", "py", "pz", "vx", "vy", "vz", "mass", "radius"};
  Napi::Float32Array columns[8];
  for (int c = 0; c < 8; c++)
    columns[c] = typed<Napi::Float32Array>(env, input.Get(kColumns[c]), napi_float32_array, kColumns[c]);
  const size_t n = columns[0].ElementLength();
  if (n > 0xffffffffu) throw Napi::RangeError::New(env, "too many particles");
  for (int c = 1; c < 8; c++)
    if (columns[c].ElementLength() != n)
      throw Napi::RangeError::New(env, std::string(kColumns[c]) + " differs in length from px");
  const Napi::Value t = input.Get("t");
  if (!t.IsNumber()) throw Napi::TypeError::New(env, "input.t is not a number");

  // Attributes: exactly as many as the bytecode reads, each a column of n values.
  const Napi::Value attributes_v = input.Get("attributes");
  if (!attributes_v.IsArray() || attributes_v.As<Napi::Array>().Length() != b.attributes)
    throw Napi::RangeError::New(env, "input.attributes must hold " + std::to_string(b.attributes) + " columns");
  std::vector<const float*> attributes(b.attributes ? b.attributes : 1, nullptr);
  for (uint32_t k = 0; k < b.attributes; k++) {
    const Napi::Float32Array a =
        typed<Napi::Float32Array>(env, attributes_v.As<Napi::Array>().Get(k), napi_float32_array, "an attribute");
    if (a.ElementLength() != n) throw Napi::RangeError::New(env, "an attribute column differs in length from px");
    attributes[k] = a.Data();
  }

  // Bond tables: indices within [0, n), per-bond columns where the bytecode's sections put them.
  const Napi::Value bonds_v = input.Get("bonds");
  if (!bonds_v.IsArray() || bonds_v.As<Napi::Array>().Length() != b.bond_tables)
    throw Napi::RangeError::New(env, "input.bonds must hold " + std::to_string(b.bond_tables) + " tables");
  std::vector<uint32_t> bond_count(b.bond_tables ? b.bond_tables : 1, 0);
  std::vector<const int32_t*> bond_i(bond_count.size(), nullptr), bond_j(bond_count.size(), nullptr);
  std::vector<const float*> bond_params;
  std::vector<size_t> table_offset;
  for (uint32_t k = 0; k < b.bond_tables; k++) {
    const Napi::Value entry = bonds_v.As<Napi::Array>().Get(k);
    if (!entry.IsObject()) throw Napi::TypeError::New(env, "a bond table is not an object");
    const Napi::Object table = entry.As<Napi::Object>();
    const Napi::Int32Array ti = typed<Napi::Int32Array>(env, table.Get("i"), napi_int32_array, "bond i");
    const Napi::Int32Array tj = typed<Napi::Int32Array>(env, table.Get("j"), napi_int32_array, "bond j");
    if (ti.ElementLength() != tj.ElementLength()) throw Napi::RangeError::New(env, "bond i and j differ in length");
    for (size_t e = 0; e < ti.ElementLength(); e++)
      if (ti[e] < 0 || (size_t)ti[e] >= n || tj[e] < 0 || (size_t)tj[e] >= n)
        throw Napi::RangeError::New(env, "a bond names a particle that does not exist");
    bond_count[k] = (uint32_t)ti.ElementLength();
    bond_i[k] = ti.Data();
    bond_j[k] = tj.Data();
    const Napi::Value params_v = table.Get("params");
    if (!params_v.IsArray()) throw Napi::TypeError::New(env, "bond params is not an array");
    table_offset.push_back(bond_params.size());
    for (uint32_t p = 0; p < params_v.As<Napi::Array>().Length(); p++) {
      const Napi::Float32Array col =
          typed<Napi::Float32Array>(env, params_v.As<Napi::Array>().Get(p), napi_float32_array, "a per-bond column");
      if (col.ElementLength() != ti.ElementLength())
        throw Napi::RangeError::New(env, "a per-bond column differs in length from its table");
      bond_params.push_back(col.Data());
    }
  }
  if (bond_params.size() != b.bond_params)
    throw Napi::RangeError::New(env, "the per-bond columns differ from the bytecode's");
  for (const interp::BondSection& s : b.bonds) {
    const size_t have =
        (s.table + 1 < table_offset.size() ? table_offset[s.table + 1] : bond_params.size()) - table_offset[s.table];
    if (table_offset[s.table] != s.param_offset || have != s.per_bond)
      throw Napi::RangeError::New(env, "a bond table's per-bond columns are not where the bytecode reads them");
  }
  if (bond_params.empty()) bond_params.push_back(nullptr);

  // Exclusions: a CSR over n particles (read only when a term excludes bonded pairs).
  const Napi::Uint32Array ex_start = typed<Napi::Uint32Array>(env, input.Get("exStart"), napi_uint32_array, "exStart");
  const Napi::Uint32Array ex_list = typed<Napi::Uint32Array>(env, input.Get("exList"), napi_uint32_array, "exList");
  if (b.exclusions) {
    if (ex_start.ElementLength() != n + 1) throw Napi::RangeError::New(env, "exStart must hold count + 1 offsets");
    for (size_t i = 0; i < n; i++)
      if (ex_start[i] > ex_start[i + 1]) throw Napi::RangeError::New(env, "exStart decreases");
    if (ex_start[n] > ex_list.ElementLength()) throw Napi::RangeError::New(env, "exStart points past exList");
  }

  br_gen_input in = {};
  in.version = BR_GEN_ABI_VERSION;
  in.count = (uint32_t)n;
  in.t = t.As<Napi::Number>().DoubleValue();
  in.px = columns[0].Data();
  in.py = columns[1].Data();
  in.pz = columns[2].Data();
  in.vx = columns[3].Data();
  in.vy = columns[4].Data();
  in.vz = columns[5].Data();
  in.mass = columns[6].Data();
  in.radius = columns[7].Data();
  in.attributes = attributes.data();
  in.bond_count = bond_count.data();
  in.bond_i = bond_i.data();
  in.bond_j = bond_j.data();
  in.bond_params = bond_params.data();
  in.ex_start = ex_start.Data();
  in.ex_list = ex_list.Data();

  Napi::Float64Array ax = Napi::Float64Array::New(env, n), ay = Napi::Float64Array::New(env, n),
                     az = Napi::Float64Array::New(env, n);
  const int rc = forces->accelerations(in, what, ax.Data(), ay.Data(), az.Data());
  const double u = forces->potential(in);
  Napi::Object out = Napi::Object::New(env);
  out.Set("rc", rc);
  out.Set("ax", ax);
  out.Set("ay", ay);
  out.Set("az", az);
  out.Set("potential", u);
  out.Set("path", forces->path());
  out.Set("isa", forces->isa());
  out.Set("listBuilds", (double)forces->list_builds());
  return out;
}

Napi::Value InterpreterFormat(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("magic", interp::kMagic);
  o.Set("version", interp::kVersion);
  Napi::Object ops = Napi::Object::New(env);
  const std::pair<const char*, uint32_t> op_names[] = {
      {"neg", interp::kNeg},       {"add", interp::kAdd},
      {"sub", interp::kSub},       {"mul", interp::kMul},
      {"div", interp::kDiv},       {"pow", interp::kPow},
      {"sqrt", interp::kSqrt},     {"exp", interp::kExp},
      {"log", interp::kLog},       {"sin", interp::kSin},
      {"cos", interp::kCos},       {"tan", interp::kTan},
      {"asin", interp::kAsin},     {"acos", interp::kAcos},
      {"atan", interp::kAtan},     {"sinh", interp::kSinh},
      {"cosh", interp::kCosh},     {"tanh", interp::kTanh},
      {"erf", interp::kErf},       {"erfc", interp::kErfc},
      {"abs", interp::kAbs},       {"step", interp::kStep},
      {"floor", interp::kFloor},   {"ceil", interp::kCeil},
      {"min", interp::kMin},       {"max", interp::kMax},
      {"select", interp::kSelect}, {"selectNonNegative", interp::kSelectNonNegative}};
  for (const auto& [name, value] : op_names) ops.Set(name, value);
  o.Set("ops", ops);
  Napi::Object sources = Napi::Object::New(env);
  const std::pair<const char*, uint32_t> source_names[] = {{"px", interp::kPx},
                                                           {"py", interp::kPy},
                                                           {"pz", interp::kPz},
                                                           {"vx", interp::kVx},
                                                           {"vy", interp::kVy},
                                                           {"vz", interp::kVz},
                                                           {"mass", interp::kMass},
                                                           {"radius", interp::kRadius},
                                                           {"time", interp::kTime},
                                                           {"attribute", interp::kAttribute},
                                                           {"r", interp::kR},
                                                           {"mass1", interp::kMass1},
                                                           {"mass2", interp::kMass2},
                                                           {"radius1", interp::kRadius1},
                                                           {"radius2", interp::kRadius2},
                                                           {"attribute1", interp::kAttribute1},
                                                           {"attribute2", interp::kAttribute2},
                                                           {"bondParam", interp::kBondParam}};
  for (const auto& [name, value] : source_names) sources.Set(name, value);
  o.Set("sources", sources);
  Napi::Object sections = Napi::Object::New(env);
  sections.Set("particle", (uint32_t)interp::kSectionParticle);
  sections.Set("velocity", (uint32_t)interp::kSectionVelocity);
  sections.Set("externalEnergy", (uint32_t)interp::kSectionExternalEnergy);
  sections.Set("pairs", (uint32_t)interp::kSectionPairs);
  sections.Set("bond", (uint32_t)interp::kSectionBond);
  o.Set("sections", sections);
  return o;
}

}  // namespace

void register_interpreter(Napi::Env env, Napi::Object exports) {
  exports.Set("createInterpretedForces", Napi::Function::New<CreateInterpretedForces>(env, "createInterpretedForces"));
  exports.Set("evaluateInterpretedForces",
              Napi::Function::New<EvaluateInterpretedForces>(env, "evaluateInterpretedForces"));
  exports.Set("interpreterFormat", Napi::Function::New<InterpreterFormat>(env, "interpreterFormat"));
}

}  // namespace brokenrecord
