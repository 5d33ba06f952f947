import { COLUMNS, type Column, type ParticleState } from '@brokenrecord/core';
import { GRID_PARAMS, gridFromInts, gridInts, type GridStorage } from './kernels/broadphase.js';
import { PAIR_GRID_PARAMS, pairGridInts } from './kernels/pair-grid.js';
import { EMPTY_TOPOLOGY, type Topology } from './topology.js';

/**
 * Everything the kernels of one step call read and write: the state's float32 columns (length
 * `count`) and the backend's scratch (length ≥ `count`). Built afresh for each `step()` call,
 * because the state's storage may move between calls.
 */
export interface Workspace {
  count: number;
  px: Float32Array;
  py: Float32Array;
  pz: Float32Array;
  vx: Float32Array;
  vy: Float32Array;
  vz: Float32Array;
  mass: Float32Array;
  radius: Float32Array;
  /** The attribute columns the plan's expressions read (KernelPlan.attributes). */
  attributes: Record<string, Float32Array>;
  /** Accelerations of the current step, float64 (never rounded to float32). */
  ax: Float64Array;
  ay: Float64Array;
  az: Float64Array;
  /**
   * The accelerations that depend on positions (and t) only: pairwise gravity and the expression
   * terms that do not read velocities. Verlet reuses them from one step (and call) to the next.
   */
  fx: Float64Array;
  fy: Float64Array;
  fz: Float64Array;
  /** Scratch of the per-particle velocity changes (kept for the scratch layout; collisions no longer use it). */
  dvx: Float64Array;
  dvy: Float64Array;
  dvz: Float64Array;
  grid: GridStorage;
  /** Scratch of the pair and bond loops, or null when the system has none. */
  pair: PairScratch | null;
  topology: Topology;
  /** What the collisions rule reports (updated by the leader only). */
  contacts: ContactStats;
}

/** Steps whose collisions reached the sweep limit with impulses still applied (docs/physics.md). */
export interface ContactStats {
  unresolvedSteps: number;
}

/** The cutoff pair grid, the packed particle copies and one force buffer per thread. */
export interface PairScratch {
  /** PAIR_GRID_PARAMS float64 values (see pair-grid.ts). */
  params: Float64Array;
  /** cellStart[c] .. cellStart[c+1] index `order` for cell c. */
  cellStart: Int32Array;
  /** Particle indices sorted by cell. */
  order: Int32Array;
  /** Inverse of `order`: the slot of each particle. */
  slotOf: Int32Array;
  /** Cell of each particle (scratch for the sort). */
  cellOf: Int32Array;
  /** x y z and the grid terms' per-particle values, in slot order (wrapped into a periodic box). */
  gridPack: Float64Array;
  /** The same for the row loops, in particle order (unwrapped). */
  rowPack: Float64Array;
  /** Per thread: pair forces of the grid loop, 3 per slot. */
  slotForces: Float64Array[];
  /** Per thread: pair forces of the row loops and bond forces, 3 per particle. */
  particleForces: Float64Array[];
}

/** Sizes of the pair scratch: what the system's loops pack per particle. */
export interface PairLayout {
  gridStride: number;
  rowStride: number;
}

/** Scratch memory for `capacity` particles, as raw buffers so it can be posted to worker threads. */
export interface ScratchBuffers {
  capacity: number;
  parties: number;
  /** Nine float64 arrays of `capacity`: ax ay az fx fy fz dvx dvy dvz. */
  floats: ArrayBufferLike;
  /** The collision grid's Int32 storage (see gridFromInts). */
  ints: ArrayBufferLike;
  /** The collision grid's float64 parameter block. */
  params: ArrayBufferLike;
  pair: { layout: PairLayout; params: ArrayBufferLike; ints: ArrayBufferLike; floats: ArrayBufferLike } | null;
}

const FLOAT_ARRAYS = 9;

function pairFloats(layout: PairLayout, capacity: number, parties: number): number {
  return (layout.gridStride + layout.rowStride + 6 * parties) * capacity;
}

export function allocateScratch(capacity: number, shared: boolean, parties = 1, layout: PairLayout | null = null): ScratchBuffers {
  const make = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  return {
    capacity,
    parties,
    floats: make(FLOAT_ARRAYS * capacity * 8),
    ints: make(gridInts(capacity) * 4),
    params: make(GRID_PARAMS * 8),
    pair: layout && {
      layout,
      params: make(PAIR_GRID_PARAMS * 8),
      ints: make(pairGridInts(capacity) * 4),
      floats: make(pairFloats(layout, capacity, parties) * 8),
    },
  };
}

/** Where each state column lives, as raw buffers and offsets so it can be posted to worker threads. */
export interface ColumnBuffers {
  count: number;
  columns: Record<Column, { buffer: ArrayBufferLike; byteOffset: number }>;
  attributes: Record<string, { buffer: ArrayBufferLike; byteOffset: number }>;
}

export function describeColumns(state: ParticleState, attributes: readonly string[] = []): ColumnBuffers {
  const where = (view: Float32Array) => ({ buffer: view.buffer, byteOffset: view.byteOffset });
  const columns = {} as ColumnBuffers['columns'];
  for (const c of COLUMNS) columns[c] = where(state.column(c));
  const attrs: ColumnBuffers['attributes'] = {};
  for (const name of attributes) attrs[name] = where(state.attribute(name));
  return { count: state.count, columns, attributes: attrs };
}

/** Whether two descriptions view the same memory (a worker then keeps its workspace). */
export function sameColumns(a: ColumnBuffers, b: ColumnBuffers): boolean {
  const same = (x: { buffer: ArrayBufferLike; byteOffset: number }, y: { buffer: ArrayBufferLike; byteOffset: number } | undefined) =>
    y !== undefined && x.buffer === y.buffer && x.byteOffset === y.byteOffset;
  const names = Object.keys(a.attributes);
  return (
    a.count === b.count &&
    COLUMNS.every((c) => same(a.columns[c], b.columns[c])) &&
    names.length === Object.keys(b.attributes).length &&
    names.every((n) => same(a.attributes[n]!, b.attributes[n]))
  );
}

export function makeWorkspace(
  described: ColumnBuffers,
  scratch: ScratchBuffers,
  topology: Topology = EMPTY_TOPOLOGY,
  contacts: ContactStats = { unresolvedSteps: 0 },
): Workspace {
  const { count, columns } = described;
  const col = (c: Column) => new Float32Array(columns[c].buffer, columns[c].byteOffset, count);
  const attributes: Record<string, Float32Array> = {};
  for (const [name, at] of Object.entries(described.attributes)) attributes[name] = new Float32Array(at.buffer, at.byteOffset, count);
  const cap = scratch.capacity;
  const f = (k: number) => new Float64Array(scratch.floats, k * cap * 8, cap);
  return {
    count,
    px: col('px'),
    py: col('py'),
    pz: col('pz'),
    vx: col('vx'),
    vy: col('vy'),
    vz: col('vz'),
    mass: col('mass'),
    radius: col('radius'),
    attributes,
    ax: f(0),
    ay: f(1),
    az: f(2),
    fx: f(3),
    fy: f(4),
    fz: f(5),
    dvx: f(6),
    dvy: f(7),
    dvz: f(8),
    grid: gridFromInts(new Int32Array(scratch.ints), new Float64Array(scratch.params), cap),
    pair: scratch.pair && pairScratch(scratch.pair, cap, scratch.parties),
    topology,
    contacts,
  };
}

function pairScratch(raw: NonNullable<ScratchBuffers['pair']>, cap: number, parties: number): PairScratch {
  const ints = new Int32Array(raw.ints);
  const cells = ints.length - 3 * cap;
  let at = 0;
  const floats = (n: number) => {
    const view = new Float64Array(raw.floats, at * 8, n);
    at += n;
    return view;
  };
  const { gridStride, rowStride } = raw.layout;
  const gridPack = floats(gridStride * cap);
  const rowPack = floats(rowStride * cap);
  const slotForces = Array.from({ length: parties }, () => floats(3 * cap));
  const particleForces = Array.from({ length: parties }, () => floats(3 * cap));
  return {
    params: new Float64Array(raw.params),
    cellStart: ints.subarray(0, cells),
    order: ints.subarray(cells, cells + cap),
    slotOf: ints.subarray(cells + cap, cells + 2 * cap),
    cellOf: ints.subarray(cells + 2 * cap, cells + 3 * cap),
    gridPack,
    rowPack,
    slotForces,
    particleForces,
  };
}
