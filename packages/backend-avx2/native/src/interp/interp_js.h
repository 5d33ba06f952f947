// The interpreter's JavaScript entry points: createInterpretedForces(bytecode, { threads }) makes
// the opaque handle (generated/forces_handle.h) a NativeContext accepts;
// evaluateInterpretedForces(handle, input, what) runs one on columns given from JS (tests and
// tools); interpreterFormat() reports the format constants this build reads.
#ifndef BROKENRECORD_INTERP_INTERP_JS_H
#define BROKENRECORD_INTERP_INTERP_JS_H

#include <napi.h>

#include "brokenrecord/generated_forces.h"

namespace brokenrecord {

void register_interpreter(Napi::Env env, Napi::Object exports);

}  // namespace brokenrecord

#endif
