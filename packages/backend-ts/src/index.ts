import { registerBackend } from '@brokenrecord/core';
import { tsBackend } from './backend.js';

export { tsBackend, KERNELS } from './backend.js';
export { TsContext, type TsBackendOptions } from './context.js';
export { compilePlan, type StepPlan } from './plan.js';
export { codegenStats, type CodegenMode } from './codegen/compile.js';
export {
  allocateGrid,
  bruteForceContactPairs,
  buildGrid,
  gridContactPairs,
  neighbourRanges,
  type GridStorage,
} from './kernels/broadphase.js';
export { GravityTree, LEAF_SIZE, treeAccelerations, treePotential } from './kernels/gravity-tree/index.js';

// Importing the package makes `backend: 'ts'` (and the 'auto' fallback) available.
registerBackend(tsBackend);
