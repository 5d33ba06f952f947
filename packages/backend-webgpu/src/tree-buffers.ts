import { BINDING } from './bindings.js';
import { BufferUsage } from './gpu-constants.js';
import { GRID_WORDS } from './kernels/grid-common.js';
import type { TreePlan } from './tree-plan.js';

/** The simulation buffers the tree's group 0 shares (tree kernels read positions and masses and write the scratch). */
export interface TreeShared {
  params: GPUBuffer;
  position: GPUBuffer;
  properties: GPUBuffer;
  scratch: GPUBuffer;
}

/**
 * The Barnes–Hut tree's GPU storage (kernels/tree-common.ts describes each buffer) and its group
 * 0: the shared layout, with the bindings the tree kernels never read pointing at the tree's
 * buffers (velocity → sort, cells → scan, particleCells → links, grid → header, partials → nodes).
 */
export class TreeBuffers {
  readonly plan: TreePlan;
  readonly bindGroup: GPUBindGroup;
  readonly #owned: GPUBuffer[];

  constructor(device: GPUDevice, layout: GPUBindGroupLayout, plan: TreePlan, shared: TreeShared) {
    this.plan = plan;
    const make = (label: string, words: number) =>
      device.createBuffer({
        label: `brokenrecord tree ${label}`,
        size: Math.max(16, 4 * words),
        usage: BufferUsage.STORAGE | BufferUsage.COPY_DST | BufferUsage.COPY_SRC,
      });
    const sort = make('sort', plan.sortWords);
    const scan = make('scan', plan.scanWords);
    const links = make('links', plan.linkWords);
    const header = make('header', GRID_WORDS);
    const nodes = make('nodes', 4 * plan.nodeVec4s);
    this.#owned = [sort, scan, links, header, nodes];
    const bound: Record<keyof typeof BINDING, GPUBuffer> = {
      params: shared.params,
      position: shared.position,
      velocity: sort,
      properties: shared.properties,
      scratch: shared.scratch,
      cells: scan,
      particleCells: links,
      grid: header,
      partials: nodes,
    };
    this.bindGroup = device.createBindGroup({
      label: 'brokenrecord tree',
      layout,
      entries: (Object.keys(BINDING) as (keyof typeof BINDING)[]).map((name) => ({
        binding: BINDING[name],
        resource: { buffer: bound[name] },
      })),
    });
  }

  /** Every tree buffer, for readbacks in tests and tools: [sort, scan, links, header, nodes]. */
  get buffers(): readonly GPUBuffer[] {
    return this.#owned;
  }

  destroy(): void {
    for (const b of this.#owned) b.destroy();
  }
}
