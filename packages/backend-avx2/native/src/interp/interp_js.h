// The interpreter's JavaScript entry points: createInterpretedForces(bytecode, { threads }) makes
// the opaque handle (an External of a GeneratedForces, type-tagged) a NativeContext accepts;
// evaluateInterpretedForces(handle, input, what) runs one on columns given from JS (tests and
// tools); interpreterFormat() reports the format constants this build reads.
#ifndef BROKENRECORD_INTERP_INTERP_JS_H
#define BROKENRECORD_INTERP_INTERP_JS_H

#include <napi.h>

#include "brokenrecord/generated_forces.h"

namespace brokenrecord {

/** The type tag of every External<GeneratedForces> handle the addon hands out. */
extern const napi_type_tag kGeneratedForcesTag;

/** The GeneratedForces behind a handle, or nullptr when `value` is not one. */
GeneratedForces* generated_forces_from(const Napi::Value& value);

void register_interpreter(Napi::Env env, Napi::Object exports);

}  // namespace brokenrecord

#endif
