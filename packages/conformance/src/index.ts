export { defineConformanceSuite, requiredBackends, type ConformanceSuiteOptions } from './suite.js';
export type { ExtraSimulationOptions, SuiteContext } from './context.js';
export { mulberry32, Random } from './helpers/random.js';
export {
  columnBits,
  columnRelativeDifference,
  expectBitwiseEqual,
  expectColumnsClose,
  expectNear,
  expectVectorNear,
  firstBitDifference,
} from './helpers/compare.js';
export { captureError, expectTypedError } from './helpers/errors.js';
export { FLT_MAX, kickDriftTolerance, U } from './helpers/float32.js';
export { bruteForceContactVelocities } from './helpers/brute-force-collisions.js';
export { referenceDiagnostics, type ReferenceDiagnostics } from './helpers/reference-diagnostics.js';
