// Native code generated from core's kernel plan: the C ABI and struct layout (abi.ts), the term
// bodies every C-family emitter shares (c-terms.ts: qualifier per emitter, e.g. `__device__` for
// CUDA), the CPU translation unit (emit-cpp.ts) and the run-time compiler with its on-disk cache.
export * from './abi.js';
export * from './c-terms.js';
export { generateCpp } from './emit-cpp.js';
export * from './compile.js';
