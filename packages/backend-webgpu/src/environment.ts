/**
 * Where the GPU object comes from: `navigator.gpu` in browsers (and in any runtime that already
 * provides it), otherwise the `webgpu` package (Dawn) in Node. The Node GPU object is created only
 * when a probe or a simulation first needs it, then kept for the life of the process (see nodeGpu).
 */
import { missingVulkanDriver } from '#platform';

export interface GpuSource {
  gpu: GPU;
  /** How the GPU object was obtained, for probe features and messages. */
  origin: 'navigator.gpu' | 'webgpu package (Dawn)';
}

function isNode(): boolean {
  return typeof process !== 'undefined' && !!process.versions?.node;
}

/**
 * The Node GPU object, made once per process. Every `create([])` starts a new Dawn instance with
 * its own driver threads and memory, and Dawn never tears an instance down while the process runs,
 * so making one per device (every time the last simulation was disposed and a new one created)
 * leaked ~7 threads and ~2 MB per cycle. One instance, reused, keeps both flat; holding it does
 * not keep Node alive (only pending GPU work does: test/exit.test.ts).
 */
let nodeGpu: GpuSource | null = null;

/** The GPU object, or the reason there is none. */
export async function obtainGpu(): Promise<GpuSource | { reason: string }> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return { gpu: nav.gpu, origin: 'navigator.gpu' };
  if (!isNode()) return { reason: 'navigator.gpu is missing: this browser has WebGPU disabled or does not support it' };
  if (nodeGpu) return nodeGpu;
  const noDriver = await missingVulkanDriver(vulkanDriverHint);
  if (noDriver) return { reason: noDriver };
  try {
    // A variable specifier keeps bundlers from pulling the Node-only package into browser builds.
    const specifier = 'webgpu';
    const dawn = (await import(/* @vite-ignore */ specifier)) as { create(options: string[]): GPU };
    nodeGpu ??= { gpu: dawn.create([]), origin: 'webgpu package (Dawn)' };
    return nodeGpu;
  } catch (error) {
    return { reason: `the webgpu package (Dawn for Node) could not be loaded: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** VK_ICD_FILENAMES as this process sees it, for messages about software Vulkan. */
export function vulkanDriverHint(): string {
  if (!isNode()) return '';
  const icd = process.env.VK_ICD_FILENAMES ?? process.env.VK_DRIVER_FILES;
  return icd
    ? ` (VK_ICD_FILENAMES=${icd})`
    : ' (no GPU driver found; on a machine without a GPU, run scripts/install-lavapipe.sh of @brokenrecord/backend-webgpu and set VK_ICD_FILENAMES)';
}
