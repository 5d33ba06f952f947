import { ValidationError } from './errors.js';

/** The eight float32 columns of the Struct-of-Arrays state, in their canonical (snapshot) order. */
export const COLUMNS = ['px', 'py', 'pz', 'vx', 'vy', 'vz', 'mass', 'radius'] as const;
export type Column = (typeof COLUMNS)[number];

/** Above this many particles a state would not fit typed-array limits (8 columns of float32). */
export const MAX_PARTICLES = 2 ** 28;

type Vec3Input = ArrayLike<number> | ArrayLike<ArrayLike<number>>;

export interface ParticleInput {
  /** `[[x,y,z], ...]` or a flat `[x0,y0,z0, x1,...]` array / typed array. Required. */
  position: Vec3Input;
  /** Same shapes as `position`; defaults to zero. */
  velocity?: Vec3Input;
  /** One value per particle, or one number for all. Required. */
  mass: ArrayLike<number> | number;
  /** One value per particle, or one number for all; defaults to 0 (point particles). */
  radius?: ArrayLike<number> | number;
}

export interface ParticleRecord {
  position: [number, number, number];
  velocity: [number, number, number];
  mass: number;
  radius: number;
}

export interface StateOptions {
  /**
   * Back the columns with a SharedArrayBuffer so worker threads can step them in place.
   * Defaults to false; backends that need it move the storage themselves (see `share()`).
   */
  shared?: boolean;
}

function allocate(bytes: number, shared: boolean): ArrayBufferLike {
  return shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

/**
 * Particle state as eight Float32Array columns. The columns are views of length `count` over
 * storage of length `capacity`, so adding particles grows storage geometrically and removing them
 * never reallocates. Column views are replaced when storage moves: re-read `state.px` after
 * `add`, `reserve` or `share`, never cache it across those calls.
 */
export class ParticleState {
  #count: number;
  #capacity: number;
  #shared: boolean;
  #storage!: Record<Column, Float32Array>; // capacity-length arrays
  #views!: Record<Column, Float32Array>; // count-length views

  private constructor(count: number, capacity: number, shared: boolean) {
    this.#count = count;
    this.#capacity = capacity;
    this.#shared = shared;
    this.#allocate(capacity, null);
  }

  /** `n` particles at rest at the origin with mass 1 and radius 0. */
  static create(n: number, options: StateOptions = {}): ParticleState {
    checkCount(n, 'n');
    const state = new ParticleState(n, Math.max(n, 1), options.shared ?? false);
    state.mass.fill(1);
    return state;
  }

  /** Builds a state from nested or flat arrays; rejects bad shapes and values with `ValidationError`. */
  static from(input: ParticleInput, options: StateOptions = {}): ParticleState {
    if (input === null || typeof input !== 'object') throw new ValidationError('state', 'expected an object');
    if (input.position === undefined) throw new ValidationError('state.position', 'is required');
    if (input.mass === undefined) throw new ValidationError('state.mass', 'is required');
    const position = flattenVec3(input.position, 'state.position');
    const n = position.length / 3;
    checkCount(n, 'state.position');
    const velocity = input.velocity === undefined ? null : flattenVec3(input.velocity, 'state.velocity');
    if (velocity && velocity.length !== position.length) {
      throw new ValidationError('state.velocity', `has ${velocity.length / 3} entries, position has ${n}`);
    }
    const mass = scalarColumn(input.mass, n, 'state.mass');
    const radius = input.radius === undefined ? null : scalarColumn(input.radius, n, 'state.radius');

    const state = new ParticleState(n, Math.max(n, 1), options.shared ?? false);
    for (let i = 0; i < n; i++) {
      state.px[i] = position[3 * i];
      state.py[i] = position[3 * i + 1];
      state.pz[i] = position[3 * i + 2];
      if (velocity) {
        state.vx[i] = velocity[3 * i];
        state.vy[i] = velocity[3 * i + 1];
        state.vz[i] = velocity[3 * i + 2];
      }
      state.mass[i] = mass[i];
      if (radius) state.radius[i] = radius[i];
    }
    const problem = findInvalidValue(state);
    if (problem) throw new ValidationError(problem.field, problem.message);
    return state;
  }

  get count(): number {
    return this.#count;
  }
  get capacity(): number {
    return this.#capacity;
  }
  /** True when the columns live in a SharedArrayBuffer (worker threads can use them in place). */
  get shared(): boolean {
    return this.#shared;
  }

  get px(): Float32Array { return this.#views.px; }
  get py(): Float32Array { return this.#views.py; }
  get pz(): Float32Array { return this.#views.pz; }
  get vx(): Float32Array { return this.#views.vx; }
  get vy(): Float32Array { return this.#views.vy; }
  get vz(): Float32Array { return this.#views.vz; }
  get mass(): Float32Array { return this.#views.mass; }
  get radius(): Float32Array { return this.#views.radius; }

  /** The column named `name` (length `count`). */
  column(name: Column): Float32Array {
    return this.#views[name];
  }

  /** A deep copy with its own storage (capacity trimmed to `count`). */
  clone(options: StateOptions = {}): ParticleState {
    const copy = new ParticleState(this.#count, Math.max(this.#count, 1), options.shared ?? this.#shared);
    copy.copyFrom(this);
    return copy;
  }

  /** Overwrites this state with `other`'s particles, resizing if the counts differ. */
  copyFrom(other: ParticleState): void {
    if (other.count > this.#capacity) this.reserve(other.count);
    this.#count = other.count;
    this.#refreshViews();
    for (const c of COLUMNS) this.#views[c].set(other.column(c));
  }

  /** Ensures room for `capacity` particles without moving storage again. */
  reserve(capacity: number): void {
    checkCount(capacity, 'capacity');
    if (capacity <= this.#capacity) return;
    this.#allocate(capacity, this.#storage);
  }

  /** Moves the columns into SharedArrayBuffer storage (no-op if already shared). */
  share(): void {
    if (this.#shared) return;
    this.#shared = true;
    this.#allocate(this.#capacity, this.#storage);
  }

  /** Appends particles (same input shapes as `from`); returns the index of the first one added. */
  add(input: ParticleInput): number {
    const extra = ParticleState.from(input);
    const first = this.#count;
    const needed = first + extra.count;
    checkCount(needed, 'state.count');
    if (needed > this.#capacity) this.reserve(Math.max(needed, Math.ceil(this.#capacity * 1.5)));
    this.#count = needed;
    this.#refreshViews();
    for (const c of COLUMNS) this.#views[c].set(extra.column(c), first);
    return first;
  }

  /**
   * Removes the particles at `indices` (any order, duplicates ignored), keeping the survivors in
   * their original relative order so indices stay predictable.
   */
  remove(indices: Iterable<number>): void {
    const drop = new Uint8Array(this.#count);
    for (const i of indices) {
      if (!Number.isInteger(i) || i < 0 || i >= this.#count) {
        throw new ValidationError('indices', `${i} is not a particle index (count ${this.#count})`);
      }
      drop[i] = 1;
    }
    let w = 0;
    for (let r = 0; r < this.#count; r++) {
      if (drop[r]) continue;
      if (w !== r) for (const c of COLUMNS) this.#storage[c][w] = this.#storage[c][r];
      w++;
    }
    this.#count = w;
    this.#refreshViews();
  }

  /** Particle `i` as plain numbers (float32 values widened). */
  get(i: number): ParticleRecord {
    return {
      position: [this.px[i], this.py[i], this.pz[i]],
      velocity: [this.vx[i], this.vy[i], this.vz[i]],
      mass: this.mass[i],
      radius: this.radius[i],
    };
  }

  toJSON(): ParticleRecord[] {
    return Array.from({ length: this.#count }, (_, i) => this.get(i));
  }

  #allocate(capacity: number, previous: Record<Column, Float32Array> | null): void {
    // One buffer for all columns keeps them contiguous (one transfer, one SharedArrayBuffer).
    const buffer = allocate(capacity * COLUMNS.length * 4, this.#shared);
    const storage = {} as Record<Column, Float32Array>;
    COLUMNS.forEach((c, k) => {
      storage[c] = new Float32Array(buffer, k * capacity * 4, capacity);
      if (previous) storage[c].set(previous[c].subarray(0, this.#count));
    });
    this.#storage = storage;
    this.#capacity = capacity;
    this.#refreshViews();
  }

  #refreshViews(): void {
    const views = {} as Record<Column, Float32Array>;
    for (const c of COLUMNS) views[c] = this.#storage[c].subarray(0, this.#count);
    this.#views = views;
  }
}

function checkCount(n: number, field: string): void {
  if (!Number.isInteger(n) || n < 0) throw new ValidationError(field, `particle count ${n} is not a non-negative integer`);
  if (n > MAX_PARTICLES) {
    throw new ValidationError(field, `${n} particles exceed the limit of ${MAX_PARTICLES} (memory)`);
  }
}

function flattenVec3(value: Vec3Input, field: string): ArrayLike<number> {
  if (value === null || typeof value !== 'object' || typeof (value as ArrayLike<unknown>).length !== 'number') {
    throw new ValidationError(field, 'expected an array of [x, y, z] or a flat array');
  }
  const list = value as ArrayLike<unknown>;
  if (list.length === 0) return [];
  if (typeof list[0] === 'number') {
    if (list.length % 3 !== 0) throw new ValidationError(field, `flat length ${list.length} is not a multiple of 3`);
    return list as ArrayLike<number>;
  }
  const flat = new Array<number>(list.length * 3);
  for (let i = 0; i < list.length; i++) {
    const v = list[i] as ArrayLike<number> | undefined;
    if (!v || typeof v !== 'object' || v.length !== 3) throw new ValidationError(`${field}[${i}]`, 'expected [x, y, z]');
    flat[3 * i] = v[0];
    flat[3 * i + 1] = v[1];
    flat[3 * i + 2] = v[2];
  }
  return flat;
}

function scalarColumn(value: ArrayLike<number> | number, n: number, field: string): ArrayLike<number> {
  if (typeof value === 'number') return new Array<number>(n).fill(value);
  if (value === null || typeof value !== 'object' || typeof value.length !== 'number') {
    throw new ValidationError(field, 'expected a number or an array of numbers');
  }
  if (value.length !== n) throw new ValidationError(field, `has ${value.length} entries, position has ${n}`);
  return value;
}

/**
 * The first value in `state` that no backend may be given: non-finite numbers, mass ≤ 0, radius < 0.
 * Returns null when the state is valid.
 */
export function findInvalidValue(state: ParticleState): { field: string; message: string; index: number } | null {
  for (const c of COLUMNS) {
    const col = state.column(c);
    for (let i = 0; i < col.length; i++) {
      const v = col[i];
      if (!Number.isFinite(v)) return { field: `state.${c}[${i}]`, message: `${v} is not finite`, index: i };
      if (c === 'mass' && !(v > 0)) return { field: `state.mass[${i}]`, message: `${v} must be > 0`, index: i };
      if (c === 'radius' && v < 0) return { field: `state.radius[${i}]`, message: `${v} must be >= 0`, index: i };
    }
  }
  return null;
}

/** Index of the first particle with a non-finite position or velocity, or -1. */
export function firstNonFinite(state: ParticleState): number {
  const cols = [state.px, state.py, state.pz, state.vx, state.vy, state.vz];
  let first = -1;
  for (const col of cols) {
    const limit = first < 0 ? col.length : first;
    for (let i = 0; i < limit; i++) {
      const v = col[i];
      if (v - v !== 0) { // NaN and ±Infinity are the only values for which v - v is not 0
        first = i;
        break;
      }
    }
  }
  return first;
}
