import { PAIRWISE_TILE } from './kernels/pairwise-gravity.js';
import { DIAGNOSTICS_WORKGROUP } from './kernels/diagnostics.js';
import { RADIX_WORKGROUP_BYTES } from './kernels/tree-sort.js';

/**
 * What the kernels need from an adapter. WebGPU's defaults satisfy all of it; compatibility-mode
 * adapters (4 storage buffers per stage) and some mobile ones do not, and get a probe reason.
 */
export const REQUIRED_LIMITS = {
  /** One uniform plus 8 storage buffers (packed columns, scratch, grid, partial sums) per kernel. */
  maxStorageBuffersPerShaderStage: 8,
  maxBindGroups: 2,
  maxDynamicUniformBuffersPerPipelineLayout: 1,
  maxComputeWorkgroupSizeX: Math.max(DIAGNOSTICS_WORKGROUP, PAIRWISE_TILE),
  maxComputeInvocationsPerWorkgroup: DIAGNOSTICS_WORKGROUP,
  /** The diagnostics reduction's 256 floats; the tree's radix sort counts (kernels/tree-sort.ts). */
  maxComputeWorkgroupStorageSize: Math.max(DIAGNOSTICS_WORKGROUP * 4, RADIX_WORKGROUP_BYTES),
  minUniformBufferOffsetAlignment: 256,
} as const;

type LimitName = keyof typeof REQUIRED_LIMITS;

/** Human-readable shortfalls of `limits`, empty when every requirement is met. */
export function missingLimits(limits: GPUSupportedLimits): string[] {
  const problems: string[] = [];
  for (const name of Object.keys(REQUIRED_LIMITS) as LimitName[]) {
    const need = REQUIRED_LIMITS[name];
    const have = limits[name];
    // Alignment limits are maxima (smaller is better); the others are minima.
    const ok = name === 'minUniformBufferOffsetAlignment' ? have <= need : have >= need;
    if (!ok) problems.push(`${name} is ${have}, need ${name === 'minUniformBufferOffsetAlignment' ? '<=' : '>='} ${need}`);
  }
  return problems;
}

/**
 * Most particles one simulation can hold on a device with these limits, given the largest buffer's
 * bytes per particle (the scratch of pairwise or collision systems, else the position columns).
 * The grid's cell arrays (about 16 bytes per particle) are never the largest; 4 KiB covers the
 * scan's block sums and other fixed entries.
 */
export function maxParticles(limits: GPUSupportedLimits, largestBytesPerParticle: number): number {
  const binding = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  return Math.max(0, Math.floor((binding - 4096) / Math.max(largestBytesPerParticle, 16)));
}
