import type { ProbeResult } from '@brokenrecord/core';
import { probeInChildProcess } from '#platform';
import { acquireDevice } from './device-lease.js';
import { scratchFloatsPerParticle } from './buffers.js';
import { maxParticles } from './limits.js';
import { kernelsFor } from './pipelines.js';

/**
 * Whether WebGPU can run this backend here: a GPU object (navigator.gpu, or Dawn in Node), an
 * adapter whose limits suffice, a device, and every kernel compiling on it (a shader compiler that
 * rejects a kernel is a reason, not a failure in the middle of a run). The device is released
 * afterwards unless simulations hold it.
 */
export async function probeWebGpu(): Promise<ProbeResult> {
  return isNode() ? probeInChildProcess() : probeInThisProcess();
}

function isNode(): boolean {
  return typeof process !== 'undefined' && !!process.versions?.node && !(globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu;
}

/** The probe itself: run in the page (browsers) or in the probe child (Node). */
export async function probeInThisProcess(): Promise<ProbeResult> {
  let lease;
  try {
    lease = await acquireDevice();
  } catch (error) {
    return { available: false, reason: error instanceof Error ? error.message : String(error) };
  }
  try {
    await kernelsFor(lease.device);
    const software = isSoftwareAdapter(lease.adapter, lease.description);
    return {
      available: true,
      // A software rasterizer (lavapipe, SwiftShader) is CPU code: rank it above the TypeScript
      // backend but below native CPU kernels, so `auto` prefers avx2 where both exist.
      ...(software ? { speed: SOFTWARE_ADAPTER_SPEED } : {}),
      features: [
        lease.origin,
        `adapter: ${lease.description}${software ? ' (software)' : ''}`,
        // The largest systems: collisions keep the most scratch per particle.
        `max particles: ${maxParticles(lease.device.limits, 4 * scratchFloatsPerParticle({ scratch: true, grid: true }))}`,
      ],
    };
  } catch (error) {
    return { available: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    lease.release();
  }
}

/** Between ts (1) and avx2 (10). */
const SOFTWARE_ADAPTER_SPEED = 5;

function isSoftwareAdapter(adapter: GPUAdapter, description: string): boolean {
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  return info?.isFallbackAdapter === true || /llvmpipe|lavapipe|swiftshader|software/i.test(description);
}
