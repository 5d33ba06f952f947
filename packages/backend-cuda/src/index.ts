import { registerBackend } from '@brokenrecord/core';
// The fallback travels with every backend: when this one cannot run here, `auto` still has ts.
import '@brokenrecord/backend-ts';
import { cudaBackend } from './backend.js';

export { cudaBackend } from './backend.js';
export { cudaHostBackend } from './host-backend.js';
export { CudaContext } from './context.js';
export { addonPath, loadAddon, type DeviceReport, type ExecutorKind, type NativePlan } from './native.js';
export { deviceUnavailableReason, probeCuda, probeCudaHost } from './probe.js';

// Importing the package makes `backend: 'cuda'` (and 'auto') available. The host executor
// ('cuda-host') is a test instrument and is not registered.
registerBackend(cudaBackend);
