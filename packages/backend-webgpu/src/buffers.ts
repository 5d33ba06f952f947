import { BINDING, type Layouts } from './bindings.js';
import { BufferUsage } from './gpu-constants.js';
import { GRID_WORDS } from './kernels/grid-common.js';
import { DIAGNOSTIC_TERMS, DIAGNOSTICS_WORKGROUP } from './kernels/diagnostics.js';
import { PARAMS_BYTES } from './params.js';
import { planGrid, type GridPlan } from './grid-plan.js';
import { TreeBuffers } from './tree-buffers.js';
import { planTree, TREE_BYTES_PER_PARTICLE } from './tree-plan.js';

/**
 * Floats of scratch per particle: cached accelerations and Δv or potential shares (6), plus
 * cell-order records (8) with collisions, plus the pair records of cutoff pair forces.
 */
export function scratchFloatsPerParticle(needs: BufferNeeds): number {
  if (needs.scratchFloats !== undefined) return needs.scratchFloats;
  return needs.grid ? 14 : needs.scratch ? 6 : 0;
}

/** What a system needs beyond the state columns. */
export interface BufferNeeds {
  /** Pairwise gravity (cached accelerations, potential shares) or collisions (velocity changes). */
  scratch: boolean;
  /** Collisions or cutoff pair forces: the uniform grid. */
  grid: boolean;
  /** Exact scratch floats per particle when known from a plan (gpu-plan.ts scratchFloats). */
  scratchFloats?: number;
  /** Attribute columns stored after mass and radius in the properties buffer. */
  attributes?: number;
  /** Some pairwise gravity term may run on the Barnes–Hut tree: its buffers (tree-buffers.ts). */
  tree?: boolean;
}

/** Bytes per particle of the largest per-particle buffer (what the binding size limit divides). */
export function largestBytesPerParticle(needs: BufferNeeds): number {
  return Math.max(4 * Math.max(3, 2 + (needs.attributes ?? 0), scratchFloatsPerParticle(needs)), needs.tree ? TREE_BYTES_PER_PARTICLE : 0);
}

/**
 * The GPU storage of one simulation for up to `capacity` particles: the eight state columns packed
 * into three buffers (see kernels/common.ts; properties also holds the attribute columns), scratch, grid and diagnostics buffers, the
 * bind group over all of them, and the staging buffers readbacks map. Buffers a system does not
 * use get a minimal placeholder so the one shared bind group layout is always satisfied.
 */
export class GpuBuffers {
  readonly capacity: number;
  readonly grid: GridPlan;
  readonly params: GPUBuffer;
  readonly position: GPUBuffer;
  readonly velocity: GPUBuffer;
  readonly properties: GPUBuffer;
  readonly scratch: GPUBuffer;
  readonly cells: GPUBuffer;
  readonly particleCells: GPUBuffer;
  readonly gridInfo: GPUBuffer;
  readonly partials: GPUBuffer;
  /** The Barnes–Hut tree's buffers and group 0, when a gravity term may use it. */
  readonly tree: TreeBuffers | null;
  /** Positions then velocities (6 columns), mapped by read(). */
  readonly stateStaging: GPUBuffer;
  readonly partialsStaging: GPUBuffer;
  readonly bindGroup: GPUBindGroup;
  /** Rows of per-workgroup diagnostic sums for `capacity` particles. */
  readonly partialRows: number;

  constructor(device: GPUDevice, layouts: Layouts, capacity: number, needs: BufferNeeds) {
    this.capacity = capacity;
    this.grid = planGrid(capacity);
    this.partialRows = Math.ceil(capacity / DIAGNOSTICS_WORKGROUP);
    const storage = BufferUsage.STORAGE | BufferUsage.COPY_DST | BufferUsage.COPY_SRC;
    const make = (label: string, bytes: number, usage: number) =>
      device.createBuffer({ label: `brokenrecord ${label}`, size: Math.max(16, align4(bytes)), usage });
    this.params = make('params', PARAMS_BYTES, BufferUsage.UNIFORM | BufferUsage.COPY_DST);
    this.position = make('position', 3 * capacity * 4, storage);
    this.velocity = make('velocity', 3 * capacity * 4, storage);
    this.properties = make('properties', (2 + (needs.attributes ?? 0)) * capacity * 4, storage);
    this.scratch = make('scratch', scratchFloatsPerParticle(needs) * capacity * 4, storage);
    this.cells = make('cells', needs.grid ? this.grid.words * 4 : 16, storage);
    this.particleCells = make('particle cells', needs.grid ? 2 * capacity * 4 : 16, storage);
    this.gridInfo = make('grid', GRID_WORDS * 4, storage);
    const partialBytes = this.partialRows * DIAGNOSTIC_TERMS.length * 4;
    this.partials = make('diagnostic partials', partialBytes, storage);
    this.stateStaging = make('state readback', 6 * capacity * 4, BufferUsage.MAP_READ | BufferUsage.COPY_DST);
    this.partialsStaging = make('diagnostics readback', partialBytes, BufferUsage.MAP_READ | BufferUsage.COPY_DST);
    const bound: Record<keyof typeof BINDING, GPUBuffer> = {
      params: this.params,
      position: this.position,
      velocity: this.velocity,
      properties: this.properties,
      scratch: this.scratch,
      cells: this.cells,
      particleCells: this.particleCells,
      grid: this.gridInfo,
      partials: this.partials,
    };
    this.bindGroup = device.createBindGroup({
      label: 'brokenrecord state',
      layout: layouts.state,
      entries: (Object.keys(BINDING) as (keyof typeof BINDING)[]).map((name) => ({
        binding: BINDING[name],
        resource: { buffer: bound[name] },
      })),
    });
    this.tree = needs.tree ? new TreeBuffers(device, layouts.state, planTree(capacity), this) : null;
  }

  destroy(): void {
    for (const b of [
      this.params,
      this.position,
      this.velocity,
      this.properties,
      this.scratch,
      this.cells,
      this.particleCells,
      this.gridInfo,
      this.partials,
      this.stateStaging,
      this.partialsStaging,
    ]) {
      b.destroy();
    }
    this.tree?.destroy();
  }
}

function align4(bytes: number): number {
  return Math.ceil(bytes / 4) * 4;
}
