// The plan object built by core's compileKernelPlan, read into a StepPlan.
#ifndef BROKENRECORD_CUDA_PLAN_FROM_JS_H
#define BROKENRECORD_CUDA_PLAN_FROM_JS_H

#include <napi.h>
#include "physics/step_plan.h"

namespace brokenrecord {

StepPlan plan_from_js(const Napi::Object& plan);

}  // namespace brokenrecord

#endif
