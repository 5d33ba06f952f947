import { registerBackend } from '@brokenrecord/core';
// The fallback travels with every backend: when this one cannot run here, `auto` still has ts.
import '@brokenrecord/backend-ts';
import { avx2Backend } from './backend.js';

export { avx2Backend } from './backend.js';
export { Avx2Context } from './context.js';
export { ISAS, type Avx2BackendOptions, type Isa } from './options.js';
export { addonPath, loadAddon, type CpuFeatureReport, type NativePlan } from './native.js';
export { probeAvx2 } from './probe.js';

// Importing the package makes `backend: 'avx2'` (and 'auto') available.
registerBackend(avx2Backend);
