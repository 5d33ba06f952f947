import { ShaderStage } from './gpu-constants.js';

/**
 * One bind group layout for every kernel (group 0): the `Params` uniform and eight storage
 * buffers. Sharing it lets a step bind once and run every kernel; a kernel's WGSL declares only
 * the bindings it touches. Group 1 is a per-dispatch uniform chosen by dynamic offset (the kick's
 * h, a pairwise rule's G and ε², a scan level's offsets...).
 */
export const BINDING = {
  params: 0,
  position: 1,
  velocity: 2,
  properties: 3,
  scratch: 4,
  cells: 5,
  particleCells: 6,
  grid: 7,
  partials: 8,
} as const;

export type StorageName = Exclude<keyof typeof BINDING, 'params'>;

/** Bytes of one per-dispatch uniform slot; dynamic offsets step by this. */
export const STAGE_SLOT_BYTES = 256;
/** Bytes each stage struct may use (four 32-bit fields, or eight). */
export const STAGE_BYTES = 32;

/**
 * The generated kernels of expression rules (codegen/custom-module.ts) bind the same group 0
 * except that binding 8 is the `topology` buffer (bond and exclusion adjacency, per-bond values,
 * the step clock) instead of the diagnostics partials they never touch: still eight storage
 * buffers, WebGPU's default per stage.
 */
export const TOPOLOGY_BINDING = 8;

export interface Layouts {
  state: GPUBindGroupLayout;
  stage: GPUBindGroupLayout;
  pipeline: GPUPipelineLayout;
  /** Group 0 of the generated kernels (binding 8: topology). */
  custom: GPUBindGroupLayout;
  customPipeline: GPUPipelineLayout;
}

export function createLayouts(device: GPUDevice): Layouts {
  const entries: GPUBindGroupLayoutEntry[] = [{ binding: BINDING.params, visibility: ShaderStage.COMPUTE, buffer: { type: 'uniform' } }];
  for (const name of Object.keys(BINDING) as (keyof typeof BINDING)[]) {
    if (name === 'params') continue;
    entries.push({ binding: BINDING[name], visibility: ShaderStage.COMPUTE, buffer: { type: 'storage' } });
  }
  const state = device.createBindGroupLayout({ label: 'brokenrecord state', entries });
  const stage = device.createBindGroupLayout({
    label: 'brokenrecord stage',
    entries: [
      { binding: 0, visibility: ShaderStage.COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: STAGE_BYTES } },
    ],
  });
  const pipeline = device.createPipelineLayout({ label: 'brokenrecord', bindGroupLayouts: [state, stage] });
  // Same entries; binding 8 holds the topology buffer there (see TOPOLOGY_BINDING).
  const custom = device.createBindGroupLayout({ label: 'brokenrecord generated', entries });
  const customPipeline = device.createPipelineLayout({ label: 'brokenrecord generated', bindGroupLayouts: [custom, stage] });
  return { state, stage, pipeline, custom, customPipeline };
}
