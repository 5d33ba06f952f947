// The JavaScript-facing simulation context: holds the compiled plan, the kernel table, the
// scratch memory (through Stepper) and references to the caller's Float32Array columns, which
// the kernels read and write in place.
#ifndef BROKENRECORD_NATIVE_CONTEXT_H
#define BROKENRECORD_NATIVE_CONTEXT_H

#include <napi.h>

#include <memory>

#include "generated/generated_terms.h"
#include "stepper.h"

namespace brokenrecord {

class NativeContext : public Napi::ObjectWrap<NativeContext> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit NativeContext(const Napi::CallbackInfo& info);

 private:
  Napi::Value SetColumns(const Napi::CallbackInfo& info);
  Napi::Value SetExtras(const Napi::CallbackInfo& info);
  Napi::Value Step(const Napi::CallbackInfo& info);
  Napi::Value Invalidate(const Napi::CallbackInfo& info);
  Napi::Value Diagnostics(const Napi::CallbackInfo& info);
  Napi::Value FirstNonFinite(const Napi::CallbackInfo& info);
  Napi::Value Dispose(const Napi::CallbackInfo& info);
  Napi::Value Isa(const Napi::CallbackInfo& info);
  Napi::Value Threads(const Napi::CallbackInfo& info);
  Napi::Value Fused(const Napi::CallbackInfo& info);
  Napi::Value UnresolvedContactSteps(const Napi::CallbackInfo& info);
  void RequireLive(Napi::Env env) const;

  std::unique_ptr<Stepper> stepper_;
  Columns columns_;
  // Keeps the column arrays alive while their data pointers are held.
  Napi::ObjectReference column_refs_[8];
  bool has_columns_ = false;
  // Expression terms (null without): what they read besides the columns, kept alive here.
  std::unique_ptr<GeneratedTerms> generated_;
  Napi::ObjectReference extras_ref_;
  bool has_extras_ = false;
};

}  // namespace brokenrecord

#endif
