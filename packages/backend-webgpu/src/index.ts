/// <reference types="@webgpu/types" />
import { registerBackend } from '@brokenrecord/core';
import { webgpuBackend } from './backend.js';

export { webgpuBackend } from './backend.js';
export { WebGpuContext } from './context.js';
export type { GpuBuffers } from './buffers.js';
export { webgpuRenderSource, type RenderSource } from './render-source.js';

// Importing the package makes `backend: 'webgpu'` (and 'auto') able to pick it.
registerBackend(webgpuBackend);
