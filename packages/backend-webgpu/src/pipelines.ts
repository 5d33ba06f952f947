import { createLayouts, type Layouts } from './bindings.js';
import { COLLISIONS_WGSL } from './kernels/collisions.js';
import { CONTACTS_WGSL } from './kernels/contacts.js';
import { DIAGNOSTICS_WGSL } from './kernels/diagnostics.js';
import { DRIFT_WGSL } from './kernels/drift.js';
import { FUSED_WGSL } from './kernels/fused.js';
import { GRID_BOUNDS_WGSL } from './kernels/grid-bounds.js';
import { GRID_COUNT_WGSL } from './kernels/grid-count.js';
import { GRID_SCATTER_WGSL, GRID_SORT_WGSL } from './kernels/grid-scatter.js';
import { GRID_SIZE_WGSL } from './kernels/grid-size.js';
import { KICK_WGSL } from './kernels/kick.js';
import { NON_FINITE_WGSL } from './kernels/non-finite.js';
import { PAIRWISE_GRAVITY_WGSL } from './kernels/pairwise-gravity.js';
import { SCAN_WGSL } from './kernels/scan.js';
import { TREE_BUILD_WGSL } from './kernels/tree-build.js';
import { TREE_MORTON_WGSL } from './kernels/tree-morton.js';
import { RADIX_SORT_WGSL } from './kernels/tree-sort.js';
import { TREE_WALK_WGSL } from './kernels/tree-walk.js';

/** Every entry point, by the WGSL module it lives in. */
const KERNELS = {
  kick: [KICK_WGSL, 'kick'],
  contactsAndDrift: [DRIFT_WGSL, 'contactsAndDrift'],
  fusedSteps: [FUSED_WGSL, 'fusedSteps'],
  pairwiseAcceleration: [PAIRWISE_GRAVITY_WGSL, 'pairwiseAcceleration'],
  pairwisePotential: [PAIRWISE_GRAVITY_WGSL, 'pairwisePotential'],
  resetBounds: [GRID_BOUNDS_WGSL, 'resetBounds'],
  reduceBounds: [GRID_BOUNDS_WGSL, 'reduceBounds'],
  sizeGrid: [GRID_SIZE_WGSL, 'sizeGrid'],
  clearCounts: [GRID_COUNT_WGSL, 'clearCounts'],
  countCells: [GRID_COUNT_WGSL, 'countCells'],
  scanBlocks: [SCAN_WGSL, 'scanBlocks'],
  addBlockOffsets: [SCAN_WGSL, 'addBlockOffsets'],
  copyStartsToCursors: [SCAN_WGSL, 'copyStartsToCursors'],
  scatterParticles: [GRID_SCATTER_WGSL, 'scatterParticles'],
  sortCells: [GRID_SORT_WGSL, 'sortCells'],
  gatherInCellOrder: [COLLISIONS_WGSL, 'gatherInCellOrder'],
  firstPartners: [COLLISIONS_WGSL, 'firstPartners'],
  resolveContacts: [COLLISIONS_WGSL, 'resolveContacts'],
  gatherContactRecords: [CONTACTS_WGSL, 'gatherContactRecords'],
  contactForces: [CONTACTS_WGSL, 'contactForces'],
  contactPotential: [CONTACTS_WGSL, 'contactPotential'],
  reduceDiagnostics: [DIAGNOSTICS_WGSL, 'reduceDiagnostics'],
  firstNonFinite: [NON_FINITE_WGSL, 'firstNonFinite'],
  // Barnes–Hut gravity (tree-encoder.ts), over the tree's group 0.
  mortonKeys: [TREE_MORTON_WGSL, 'mortonKeys'],
  radixHistogram: [RADIX_SORT_WGSL, 'radixHistogram'],
  radixScatter: [RADIX_SORT_WGSL, 'radixScatter'],
  gatherBodies: [TREE_MORTON_WGSL, 'gatherBodies'],
  buildTree: [TREE_BUILD_WGSL, 'buildTree'],
  smallMoments: [TREE_BUILD_WGSL, 'smallMoments'],
  treeMoments: [TREE_BUILD_WGSL, 'treeMoments'],
  treeWalk: [TREE_WALK_WGSL, 'treeWalk'],
} as const;

export type KernelName = keyof typeof KERNELS;

export interface Kernels {
  layouts: Layouts;
  pipelines: Record<KernelName, GPUComputePipeline>;
}

/** Compiled once per device and shared by all its simulations. */
const compiled = new WeakMap<GPUDevice, Promise<Kernels>>();

export function kernelsFor(device: GPUDevice): Promise<Kernels> {
  let kernels = compiled.get(device);
  if (!kernels) {
    kernels = compile(device);
    compiled.set(device, kernels);
    kernels.catch(() => compiled.delete(device));
  }
  return kernels;
}

async function compile(device: GPUDevice): Promise<Kernels> {
  const layouts = createLayouts(device);
  const modules = new Map<string, GPUShaderModule>();
  const names = Object.keys(KERNELS) as KernelName[];
  // Inside an error scope, a WGSL error becomes this probe's or create's message instead of a
  // line on the console.
  device.pushErrorScope('validation');
  for (const name of names) {
    const code = KERNELS[name][0];
    if (!modules.has(code)) modules.set(code, device.createShaderModule({ label: name, code }));
  }
  await device.popErrorScope();
  const moduleFor = (code: string) => modules.get(code)!;
  const built = await Promise.all(
    names.map(async (name) => {
      const [code, entryPoint] = KERNELS[name];
      const module = moduleFor(code);
      try {
        return await device.createComputePipelineAsync({ label: name, layout: layouts.pipeline, compute: { module, entryPoint } });
      } catch (error) {
        throw new Error(`WGSL kernel '${name}' failed to compile: ${await compilerMessages(module, error)}`);
      }
    }),
  );
  const pipelines = Object.fromEntries(names.map((n, i) => [n, built[i]])) as Record<KernelName, GPUComputePipeline>;
  return { layouts, pipelines };
}

async function compilerMessages(module: GPUShaderModule, error: unknown): Promise<string> {
  const base = error instanceof Error ? error.message : String(error);
  try {
    const info = await module.getCompilationInfo();
    const lines = info.messages.filter((m) => m.type === 'error').map((m) => `${m.lineNum}:${m.linePos} ${m.message}`);
    return lines.length ? `${base}\n${lines.join('\n')}` : base;
  } catch {
    return base;
  }
}
