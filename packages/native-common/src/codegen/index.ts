// Native code generated from core's kernel plan: the C++ source of a system's expression terms
// (one emitter for the C family, shared by the SIMD addon and the CUDA package's host path) and
// the run-time compiler with its on-disk cache.
export {
  ABI_HEADER,
  GENERATED_ABI_VERSION,
  GEN_ERROR_MEMORY,
  GEN_ERROR_VERSION,
  GEN_POSITION_TERMS,
  GEN_VELOCITY_TERMS,
  generateCpp,
  type GeneratedLayout,
  type GeneratedSource,
} from './emit-cpp.js';
export * from './compile.js';
