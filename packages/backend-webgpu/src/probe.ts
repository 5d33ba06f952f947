import type { ProbeResult } from '@brokenrecord/core';
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
  let lease;
  try {
    lease = await acquireDevice();
  } catch (error) {
    return { available: false, reason: error instanceof Error ? error.message : String(error) };
  }
  try {
    await kernelsFor(lease.device);
    return {
      available: true,
      features: [
        lease.origin,
        `adapter: ${lease.description}`,
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
