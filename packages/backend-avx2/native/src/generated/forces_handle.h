// The JavaScript handle of a GeneratedForces: an opaque, type-tagged Napi::External whose
// finalizer drops its reference (a compiled object is dlclose'd when the last holder, handle or
// context, lets go). Every way of running expression terms (loadCompiledForces, the interpreter)
// hands one to JS; NativeContext accepts any of them.
#ifndef BROKENRECORD_FORCES_HANDLE_H
#define BROKENRECORD_FORCES_HANDLE_H

#include <napi.h>

#include <brokenrecord/generated_forces.h>
#include <memory>

namespace brokenrecord {

Napi::Value forces_to_js(Napi::Env env, std::shared_ptr<GeneratedForces> forces);

/** The forces behind a handle made by forces_to_js; throws a TypeError for anything else. */
std::shared_ptr<GeneratedForces> forces_from_js(Napi::Value value);

/** loadCompiledForces(path): the handle of a compiled object; throws an Error saying why it cannot load. */
Napi::Value LoadCompiledForcesJs(const Napi::CallbackInfo& info);

}  // namespace brokenrecord

#endif
