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
  return isNode() ? probeInChildProcess() : probeInThisProcess();
}

function isNode(): boolean {
  return typeof process !== 'undefined' && !!process.versions?.node && !(globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu;
}

/**
 * In Node the probe runs in a child process: Dawn and the Vulkan loader print their warnings
 * straight to the process's stderr (no API silences them), and a driver that crashes on start
 * would take the host down. In the child both are contained; the parent gets the verdict as JSON.
 * The in-process device is only created when a simulation is.
 */
async function probeInChildProcess(): Promise<ProbeResult> {
  const { spawnSync } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const script = fileURLToPath(new URL('./probe-child.js', import.meta.url));
  const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000, env: process.env });
  const line = child.stdout?.split('\n').find((l) => l.startsWith('{'));
  if (line) {
    try {
      return JSON.parse(line) as ProbeResult;
    } catch {
      // fall through to the failure reason below
    }
  }
  const why = child.error ? child.error.message : child.signal ? `killed by ${child.signal}` : `exit status ${child.status}`;
  const detail = (child.stderr ?? '').trim().split('\n').filter(Boolean).pop() ?? '';
  return { available: false, reason: `the WebGPU probe process failed (${why})${detail ? `: ${detail}` : ''}` };
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
