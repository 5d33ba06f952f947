/// <reference types="@webgpu/types" preserve="true" />
import { registerBackend } from '@brokenrecord/core';
// The fallback travels with every backend: when this one cannot run here, `auto` still has ts.
import '@brokenrecord/backend-ts';
import { webgpuBackend } from './backend.js';

export { webgpuBackend } from './backend.js';
export { WebGpuContext } from './context.js';
export type { GpuBuffers } from './buffers.js';
export { webgpuRenderSource, type RenderSource } from './render-source.js';
export { webgpuShaderCache, type ShaderCacheStats } from './codegen/module-cache.js';

// Importing the package makes `backend: 'webgpu'` (and 'auto') able to pick it.
registerBackend(webgpuBackend);
