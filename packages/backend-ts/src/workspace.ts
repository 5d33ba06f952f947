import { COLUMNS, type Column, type ParticleState } from '@brokenrecord/core';
import { GRID_PARAMS, gridFromInts, gridInts, type GridStorage } from './kernels/broadphase.js';

/**
 * Everything the kernels of one step call read and write: the state's float32 columns (length
 * `count`) and the backend's scratch (length ≥ `count`). Built afresh for each `step()` call,
 * because the state's storage may move between calls.
 */
export interface Workspace {
  count: number;
  px: Float32Array; py: Float32Array; pz: Float32Array;
  vx: Float32Array; vy: Float32Array; vz: Float32Array;
  mass: Float32Array; radius: Float32Array;
  /** Accelerations of the current step, float64 (never rounded to float32). */
  ax: Float64Array; ay: Float64Array; az: Float64Array;
  /** The pairwise-gravity part of them, which verlet reuses from one step (and call) to the next. */
  fx: Float64Array; fy: Float64Array; fz: Float64Array;
  /** Collision velocity changes accumulated before any is applied (Jacobi). */
  dvx: Float64Array; dvy: Float64Array; dvz: Float64Array;
  grid: GridStorage;
}

/** Scratch memory for `capacity` particles, as raw buffers so it can be posted to worker threads. */
export interface ScratchBuffers {
  capacity: number;
  /** Nine float64 arrays of `capacity`: ax ay az fx fy fz dvx dvy dvz. */
  floats: ArrayBufferLike;
  /** The grid's Int32 storage (see gridFromInts). */
  ints: ArrayBufferLike;
  /** The grid's float64 parameter block. */
  params: ArrayBufferLike;
}

const FLOAT_ARRAYS = 9;

export function allocateScratch(capacity: number, shared: boolean): ScratchBuffers {
  const make = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  return {
    capacity,
    floats: make(FLOAT_ARRAYS * capacity * 8),
    ints: make(gridInts(capacity) * 4),
    params: make(GRID_PARAMS * 8),
  };
}

/** Where each state column lives, as raw buffers and offsets so it can be posted to worker threads. */
export interface ColumnBuffers {
  count: number;
  columns: Record<Column, { buffer: ArrayBufferLike; byteOffset: number }>;
}

export function describeColumns(state: ParticleState): ColumnBuffers {
  const columns = {} as ColumnBuffers['columns'];
  for (const c of COLUMNS) {
    const view = state.column(c);
    columns[c] = { buffer: view.buffer, byteOffset: view.byteOffset };
  }
  return { count: state.count, columns };
}

export function makeWorkspace(described: ColumnBuffers, scratch: ScratchBuffers): Workspace {
  const { count, columns } = described;
  const col = (c: Column) => new Float32Array(columns[c].buffer, columns[c].byteOffset, count);
  const cap = scratch.capacity;
  const f = (k: number) => new Float64Array(scratch.floats, k * cap * 8, cap);
  return {
    count,
    px: col('px'), py: col('py'), pz: col('pz'),
    vx: col('vx'), vy: col('vy'), vz: col('vz'),
    mass: col('mass'), radius: col('radius'),
    ax: f(0), ay: f(1), az: f(2),
    fx: f(3), fy: f(4), fz: f(5),
    dvx: f(6), dvy: f(7), dvz: f(8),
    grid: gridFromInts(new Int32Array(scratch.ints), new Float64Array(scratch.params), cap),
  };
}
