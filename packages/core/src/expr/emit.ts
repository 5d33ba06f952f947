/** One emitter per target language over a Program's expressions; the caller maps variable names. */
export { type EmitOptions, float32Literal, float64Literal } from './emit-core.js';
export { emitJS, programToJS, JS_PRELUDE, usesErf } from './emit-js.js';
export { emitWGSL, programToWGSL, WGSL_PRELUDE } from './emit-wgsl.js';
export { emitC, programToC, type CFloat } from './emit-c.js';
