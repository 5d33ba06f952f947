// The plan object built by core's compileKernelPlan, read into a CudaPlan.
#ifndef BROKENRECORD_CUDA_PLAN_FROM_JS_H
#define BROKENRECORD_CUDA_PLAN_FROM_JS_H

#include <napi.h>
#include "physics/cuda_plan.h"

namespace brokenrecord {

CudaPlan plan_from_js(const Napi::Object& plan);

}  // namespace brokenrecord

#endif
