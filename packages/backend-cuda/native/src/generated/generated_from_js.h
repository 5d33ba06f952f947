// The generated terms as JavaScript hands them over (src/generated-terms.ts): the compiled code
// and kernel set with the plan, the per-state arrays after every write.
#ifndef BROKENRECORD_CUDA_GENERATED_FROM_JS_H
#define BROKENRECORD_CUDA_GENERATED_FROM_JS_H

#include <napi.h>

#include "generated_plan.h"

namespace brokenrecord {

/** `{ library?, image?, kernels: {position, velocity, twoBody, grid, bonds, energy} }` or undefined (no terms). */
GeneratedPlan generated_from_js(const Napi::Value& value, double dt);

/** `{ attributes, bondI, bondJ, bondParams, exStart, exList, bondStart, bondTable, bondIndex }` (typed arrays). */
TermData terms_from_js(const Napi::Object& o);

}  // namespace brokenrecord

#endif
