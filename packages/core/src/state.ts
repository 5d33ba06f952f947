import { ValidationError } from './errors.js';

/** The eight float32 columns of the Struct-of-Arrays state, in their canonical (snapshot) order. */
export const COLUMNS = ['px', 'py', 'pz', 'vx', 'vy', 'vz', 'mass', 'radius'] as const;
export type Column = (typeof COLUMNS)[number];

/** Above this many particles a state would not fit typed-array limits (8 columns of float32). */
export const MAX_PARTICLES = 2 ** 28;

/**
 * Names an attribute may not take: the eight columns and the variables of the expression language
 * (`x y z vx vy vz m r t`), so that an attribute named in a rule's `perParticle` is never ambiguous.
 */
export const RESERVED_ATTRIBUTE_NAMES: readonly string[] = Object.freeze(
  [...COLUMNS, 'x', 'y', 'z', 'm', 'r', 't'].filter((n, k, all) => all.indexOf(n) === k),
);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * One group of bonds: `count` pairs `(i[k], j[k])` of particle indices, and per-bond parameters
 * (`params.k[b]` is bond b's `k`). The arrays belong to the state: read them, never write them
 * (`setBonds` replaces a group).
 */
export interface BondTable {
  readonly count: number;
  readonly i: Int32Array;
  readonly j: Int32Array;
  readonly params: Readonly<Record<string, Float32Array>>;
}

/** Bond pairs as `[[i, j], ...]` or a flat `[i0, j0, i1, j1, ...]` array / typed array. */
export type BondPairs = ArrayLike<readonly [number, number]> | ArrayLike<number>;

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
  /**
   * Named float32 columns beside the eight (`state.attribute(name)`), each one value per particle
   * or one number for all, in declaration order. In `add`, attributes the state has but the input
   * omits are 0; naming one the state does not have is a `ValidationError` (`addAttribute` first).
   */
  attributes?: Readonly<Record<string, ArrayLike<number> | number>>;
}

export interface ParticleRecord {
  position: [number, number, number];
  velocity: [number, number, number];
  mass: number;
  radius: number;
  /** Present only when the state has attributes: each attribute's value for this particle. */
  attributes?: Record<string, number>;
}

export interface StateOptions {
  /**
   * Back the columns with a SharedArrayBuffer so worker threads can step them in place.
   * Defaults to false; backends that need it move the storage themselves (see `share()`).
   */
  shared?: boolean;
}

export interface CreateOptions extends StateOptions {
  /** Attribute columns to create, filled with 0 (see `ParticleInput.attributes`). */
  attributes?: readonly string[];
}

function allocate(bytes: number, shared: boolean): ArrayBufferLike {
  return shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

/**
 * Particle state as eight Float32Array columns, plus any named float32 attribute columns
 * (`attribute(name)`), plus named bond tables (`bonds(group)`). The columns are views of length
 * `count` over storage of length `capacity`, so adding particles grows storage geometrically and
 * removing them never reallocates. Column views are replaced when storage moves: re-read
 * `state.px` / `state.attribute('q')` after `add`, `reserve`, `share`, `copyFrom` or
 * `addAttribute`, never cache them across those calls. Attributes live in storage of their own, so
 * `addAttribute` leaves the eight columns where they are.
 */
export class ParticleState {
  #count: number;
  #capacity: number;
  #shared: boolean;
  #storage!: Record<Column, Float32Array>; // capacity-length arrays
  #views!: Record<Column, Float32Array>; // count-length views
  #attributeNames: readonly string[] = Object.freeze([]);
  #attributeStorage = new Map<string, Float32Array>(); // capacity-length arrays
  #attributeViews = new Map<string, Float32Array>(); // count-length views
  #bonds = new Map<string, BondTable>();

  private constructor(count: number, capacity: number, shared: boolean) {
    this.#count = count;
    this.#capacity = capacity;
    this.#shared = shared;
    this.#allocate(capacity, null);
  }

  /**
   * Whether `value` was made by this class (create, from, clone, a snapshot): a brand check that a
   * Proxy or an object merely inheriting from ParticleState.prototype fails, where instanceof passes.
   */
  static isParticleState(value: unknown): value is ParticleState {
    return typeof value === 'object' && value !== null && #count in value;
  }

  /** `n` particles at rest at the origin with mass 1 and radius 0 (and every attribute 0). */
  static create(n: number, options: CreateOptions = {}): ParticleState {
    checkCount(n, 'n');
    const names = options.attributes ?? [];
    if (names === null || typeof names !== 'object' || typeof names.length !== 'number') {
      throw new ValidationError('attributes', 'expected an array of attribute names');
    }
    const seen = new Set<string>();
    for (const name of Array.from(names)) {
      checkAttributeName(name, 'attributes');
      if (seen.has(name)) throw new ValidationError('attributes', `'${name}' is declared twice`);
      seen.add(name);
    }
    const state = new ParticleState(n, Math.max(n, 1), options.shared ?? false);
    state.mass.fill(1);
    state.#setAttributeNames([...seen]);
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
    const attributes = attributeInput(input.attributes, n);

    const state = new ParticleState(n, Math.max(n, 1), options.shared ?? false);
    state.#setAttributeNames(attributes.map(([name]) => name));
    for (const [name, values] of attributes) {
      const col = state.attribute(name);
      for (let i = 0; i < n; i++) col[i] = values[i];
    }
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

  get px(): Float32Array {
    return this.#views.px;
  }
  get py(): Float32Array {
    return this.#views.py;
  }
  get pz(): Float32Array {
    return this.#views.pz;
  }
  get vx(): Float32Array {
    return this.#views.vx;
  }
  get vy(): Float32Array {
    return this.#views.vy;
  }
  get vz(): Float32Array {
    return this.#views.vz;
  }
  get mass(): Float32Array {
    return this.#views.mass;
  }
  get radius(): Float32Array {
    return this.#views.radius;
  }

  /** The column named `name` (length `count`). */
  column(name: Column): Float32Array {
    if (!(COLUMNS as readonly string[]).includes(name)) {
      throw new ValidationError('column', `${JSON.stringify(name)} is not a column (${COLUMNS.join(', ')}; attributes: attribute(name))`);
    }
    return this.#views[name];
  }

  /** Names of the attribute columns, in declaration order. */
  get attributeNames(): readonly string[] {
    return this.#attributeNames;
  }

  hasAttribute(name: string): boolean {
    return this.#attributeViews.has(name);
  }

  /** The attribute column `name` (length `count`); `ValidationError` if the state has none of that name. */
  attribute(name: string): Float32Array {
    const view = this.#attributeViews.get(name);
    if (!view) {
      const known = this.#attributeNames.length ? this.#attributeNames.join(', ') : 'none';
      throw new ValidationError(`state.attributes.${name}`, `is not an attribute of this state (attributes: ${known})`);
    }
    return view;
  }

  /**
   * Adds the attribute column `name`, every particle's value `fill`. Moves only the attribute
   * storage (re-read other attribute views afterwards); the eight columns stay where they are.
   */
  addAttribute(name: string, fill = 0): void {
    checkAttributeName(name, 'attributes');
    if (this.#attributeViews.has(name)) throw new ValidationError(`state.attributes.${name}`, 'already exists');
    if (typeof fill !== 'number' || !Number.isFinite(fill) || !Number.isFinite(Math.fround(fill))) {
      throw new ValidationError(`state.attributes.${name}`, `fill ${String(fill)} is not a finite float32 value`);
    }
    this.#setAttributeNames([...this.#attributeNames, name]);
    this.attribute(name).fill(fill);
  }

  /** Names of the bond groups, in the order they were first set. */
  get bondGroups(): readonly string[] {
    return [...this.#bonds.keys()];
  }

  /** The bond group `group`, or undefined if there is none of that name. */
  bonds(group: string): BondTable | undefined {
    return this.#bonds.get(group);
  }

  /**
   * Sets (or replaces) the bond group `group`: `pairs` as `[[i, j], ...]` or flat `[i0, j0, ...]`,
   * and optional per-bond parameters, one value per bond each. Indices must be particles of this
   * state and `i ≠ j`; duplicate bonds are kept as given. Bonds follow the particles: `remove`
   * renumbers them, and removing a bonded particle drops its bonds.
   */
  setBonds(group: string, pairs: BondPairs, perBond: Readonly<Record<string, ArrayLike<number>>> = {}): void {
    if (typeof group !== 'string' || !IDENTIFIER.test(group)) {
      throw new ValidationError('state.bonds', `group name ${JSON.stringify(group)} is not an identifier [A-Za-z_][A-Za-z0-9_]*`);
    }
    const field = `state.bonds.${group}`;
    const [i, j] = bondPairs(pairs, field, this.#count);
    if (perBond === null || typeof perBond !== 'object' || Array.isArray(perBond)) {
      throw new ValidationError(`${field}.perBond`, 'expected an object of per-bond arrays');
    }
    const params: Record<string, Float32Array> = {};
    for (const [name, values] of Object.entries(perBond)) {
      const at = `${field}.perBond.${name}`;
      if (!IDENTIFIER.test(name))
        throw new ValidationError(`${field}.perBond`, `parameter name ${JSON.stringify(name)} is not an identifier`);
      if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
        throw new ValidationError(at, 'expected an array of numbers');
      }
      if (values.length !== i.length) throw new ValidationError(at, `has ${values.length} entries, there are ${i.length} bonds`);
      const col = new Float32Array(i.length);
      for (let b = 0; b < i.length; b++) {
        const v = values[b];
        col[b] = v;
        if (typeof v !== 'number' || !Number.isFinite(col[b]))
          throw new ValidationError(`${at}[${b}]`, `${String(v)} is not a finite float32 value`);
      }
      params[name] = col;
    }
    this.#bonds.set(group, makeBondTable(i, j, params));
  }

  /** Removes the bond group `group`; returns whether there was one. */
  deleteBonds(group: string): boolean {
    return this.#bonds.delete(group);
  }

  /** A deep copy with its own storage (capacity trimmed to `count`). */
  clone(options: StateOptions = {}): ParticleState {
    const copy = new ParticleState(this.#count, Math.max(this.#count, 1), options.shared ?? this.#shared);
    copy.copyFrom(this);
    return copy;
  }

  /**
   * Overwrites this state with `other`'s particles, attributes and bonds, resizing if the counts
   * differ. This state takes `other`'s attribute set (its attribute storage moves if the sets differ).
   */
  copyFrom(other: ParticleState): void {
    if (!ParticleState.isParticleState(other)) throw new ValidationError('state', 'copyFrom expects a ParticleState');
    if (other === this) return;
    if (other.count > this.#capacity) this.reserve(other.count);
    this.#count = other.count;
    const names = other.attributeNames;
    const same = names.length === this.#attributeNames.length && names.every((n, k) => n === this.#attributeNames[k]);
    if (!same) this.#setAttributeNames(names);
    this.#refreshViews();
    for (const c of COLUMNS) this.#views[c].set(other.column(c));
    for (const name of names) this.#attributeViews.get(name)!.set(other.attribute(name));
    this.#bonds = new Map();
    for (const group of other.bondGroups) this.#bonds.set(group, copyBondTable(other.bonds(group)!));
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

  /**
   * Appends particles (same input shapes as `from`); returns the index of the first one added.
   * Attributes the input omits are 0 for the new particles; bonds are left as they are.
   */
  add(input: ParticleInput): number {
    const extra = ParticleState.from(input);
    for (const name of extra.attributeNames) {
      if (!this.hasAttribute(name)) {
        throw new ValidationError(`state.attributes.${name}`, 'is not an attribute of this state (addAttribute it first)');
      }
    }
    const first = this.#count;
    const needed = first + extra.count;
    checkCount(needed, 'state.count');
    if (needed > this.#capacity) this.reserve(Math.max(needed, Math.ceil(this.#capacity * 1.5)));
    this.#count = needed;
    this.#refreshViews();
    for (const c of COLUMNS) this.#views[c].set(extra.column(c), first);
    for (const name of this.#attributeNames) {
      const col = this.#attributeViews.get(name)!;
      if (extra.hasAttribute(name)) col.set(extra.attribute(name), first);
      else col.fill(0, first); // storage past the old count may hold removed particles' values
    }
    return first;
  }

  /**
   * Removes the particles at `indices` (any order, duplicates ignored), keeping the survivors in
   * their original relative order so indices stay predictable. Bonds are renumbered to the new
   * indices; removing a bonded particle drops its bonds (with their per-bond parameters).
   */
  remove(indices: Iterable<number>): void {
    if (
      indices === null ||
      typeof (indices as { [Symbol.iterator]?: unknown } | undefined)?.[Symbol.iterator] !== 'function' ||
      typeof indices === 'string'
    ) {
      throw new ValidationError('indices', 'expected an iterable of particle indices, e.g. [0, 3]');
    }
    const drop = new Uint8Array(this.#count);
    for (const i of indices) {
      if (!Number.isInteger(i) || i < 0 || i >= this.#count) {
        throw new ValidationError('indices', `${i} is not a particle index (count ${this.#count})`);
      }
      drop[i] = 1;
    }
    const attributes = [...this.#attributeStorage.values()];
    const renumber = new Int32Array(this.#count);
    let w = 0;
    for (let r = 0; r < this.#count; r++) {
      if (drop[r]) {
        renumber[r] = -1;
        continue;
      }
      if (w !== r) {
        for (const c of COLUMNS) this.#storage[c][w] = this.#storage[c][r];
        for (const col of attributes) col[w] = col[r];
      }
      renumber[r] = w++;
    }
    this.#count = w;
    this.#refreshViews();
    for (const [group, table] of this.#bonds) this.#bonds.set(group, renumberBonds(table, renumber));
  }

  /** Particle `i` as plain numbers (float32 values widened). */
  get(i: number): ParticleRecord {
    const record: ParticleRecord = {
      position: [this.px[i], this.py[i], this.pz[i]],
      velocity: [this.vx[i], this.vy[i], this.vz[i]],
      mass: this.mass[i],
      radius: this.radius[i],
    };
    if (this.#attributeNames.length) {
      record.attributes = {};
      for (const name of this.#attributeNames) record.attributes[name] = this.#attributeViews.get(name)![i];
    }
    return record;
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
    this.#allocateAttributes(this.#attributeNames, this.#attributeStorage);
    this.#refreshViews();
  }

  /** New storage for the attribute columns `names` (at the current capacity), keeping the values of those in `previous`. */
  #allocateAttributes(names: readonly string[], previous: Map<string, Float32Array>): void {
    const capacity = this.#capacity;
    const buffer = allocate(capacity * names.length * 4, this.#shared);
    const storage = new Map<string, Float32Array>();
    names.forEach((name, k) => {
      const col = new Float32Array(buffer, k * capacity * 4, capacity);
      const old = previous.get(name);
      if (old) col.set(old.subarray(0, Math.min(this.#count, capacity)));
      storage.set(name, col);
    });
    this.#attributeStorage = storage;
    this.#refreshAttributeViews();
  }

  #setAttributeNames(names: readonly string[]): void {
    this.#attributeNames = Object.freeze([...names]);
    this.#allocateAttributes(this.#attributeNames, this.#attributeStorage);
  }

  #refreshViews(): void {
    const views = {} as Record<Column, Float32Array>;
    for (const c of COLUMNS) views[c] = this.#storage[c].subarray(0, this.#count);
    this.#views = views;
    this.#refreshAttributeViews();
  }

  #refreshAttributeViews(): void {
    const attributeViews = new Map<string, Float32Array>();
    for (const [name, col] of this.#attributeStorage) attributeViews.set(name, col.subarray(0, this.#count));
    this.#attributeViews = attributeViews;
  }
}

function checkAttributeName(name: unknown, field: string): asserts name is string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new ValidationError(field, `attribute name ${JSON.stringify(name)} is not an identifier [A-Za-z_][A-Za-z0-9_]*`);
  }
  if (RESERVED_ATTRIBUTE_NAMES.includes(name)) {
    throw new ValidationError(field, `attribute name '${name}' is reserved (${RESERVED_ATTRIBUTE_NAMES.join(' ')})`);
  }
}

function attributeInput(value: ParticleInput['attributes'], n: number): [string, ArrayLike<number>][] {
  if (value === undefined) return [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError('state.attributes', 'expected an object of { name: values }');
  }
  return Object.entries(value).map(([name, values]) => {
    checkAttributeName(name, 'state.attributes');
    return [name, scalarColumn(values, n, `state.attributes.${name}`)];
  });
}

function bondPairs(pairs: BondPairs, field: string, count: number): [Int32Array, Int32Array] {
  if (pairs === null || typeof pairs !== 'object' || typeof (pairs as ArrayLike<unknown>).length !== 'number') {
    throw new ValidationError(field, 'expected [[i, j], ...] or a flat [i0, j0, i1, j1, ...] array');
  }
  const list = pairs as ArrayLike<unknown>;
  const flat = list.length > 0 && typeof list[0] === 'number';
  if (flat && list.length % 2 !== 0) throw new ValidationError(field, `flat length ${list.length} is not a multiple of 2`);
  const n = flat ? list.length / 2 : list.length;
  const i = new Int32Array(n);
  const j = new Int32Array(n);
  for (let b = 0; b < n; b++) {
    let a: unknown;
    let c: unknown;
    if (flat) {
      a = list[2 * b];
      c = list[2 * b + 1];
    } else {
      const pair = list[b] as ArrayLike<unknown> | undefined;
      if (!pair || typeof pair !== 'object' || pair.length !== 2) throw new ValidationError(`${field}[${b}]`, 'expected [i, j]');
      a = pair[0];
      c = pair[1];
    }
    for (const v of [a, c]) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= count) {
        throw new ValidationError(`${field}[${b}]`, `${String(v)} is not a particle index (count ${count})`);
      }
    }
    if (a === c) throw new ValidationError(`${field}[${b}]`, `bonds particle ${String(a)} to itself`);
    i[b] = a as number;
    j[b] = c as number;
  }
  return [i, j];
}

function makeBondTable(i: Int32Array, j: Int32Array, params: Record<string, Float32Array>): BondTable {
  return Object.freeze({ count: i.length, i, j, params: Object.freeze(params) });
}

function copyBondTable(table: BondTable): BondTable {
  const params: Record<string, Float32Array> = {};
  for (const [name, col] of Object.entries(table.params)) params[name] = col.slice();
  return makeBondTable(table.i.slice(), table.j.slice(), params);
}

/** `table` with indices mapped through `renumber` (-1 = removed); bonds touching a removed particle are dropped. */
function renumberBonds(table: BondTable, renumber: Int32Array): BondTable {
  const keep: number[] = [];
  for (let b = 0; b < table.count; b++) {
    if (renumber[table.i[b]] >= 0 && renumber[table.j[b]] >= 0) keep.push(b);
  }
  const i = Int32Array.from(keep, (b) => renumber[table.i[b]]);
  const j = Int32Array.from(keep, (b) => renumber[table.j[b]]);
  const params: Record<string, Float32Array> = {};
  for (const [name, col] of Object.entries(table.params)) params[name] = Float32Array.from(keep, (b) => col[b]);
  return makeBondTable(i, j, params);
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
  for (const name of state.attributeNames) {
    const col = state.attribute(name);
    for (let i = 0; i < col.length; i++) {
      const v = col[i];
      if (!Number.isFinite(v)) return { field: `state.attributes.${name}[${i}]`, message: `${v} is not finite`, index: i };
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
      if (v - v !== 0) {
        // NaN and ±Infinity are the only values for which v - v is not 0
        first = i;
        break;
      }
    }
  }
  return first;
}
