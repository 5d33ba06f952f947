import type { BondTable, KernelPlan, ParticleState } from '@brokenrecord/core';

/** One bond table as the bond loops read it (views of the state's table, or shared copies for threads). */
export interface BondView {
  count: number;
  i: Int32Array;
  j: Int32Array;
  params: Record<string, Float32Array>;
}

/**
 * The bond topology one step call works with: a table per bondForce term (in plan.bonds order) and,
 * when some pair term excludes bonded pairs, every particle's bonded partners over all the state's
 * tables (CSR: partners of i are list[start[i] .. start[i+1])), built once per change, never per pair.
 */
export interface Topology {
  /** Changes whenever the tables are rebuilt (the force cache keys on it). */
  version: number;
  bonds: BondView[];
  exclusions: { start: Int32Array; list: Int32Array } | null;
}

export const EMPTY_TOPOLOGY: Topology = { version: 0, bonds: [], exclusions: null };

const NO_BONDS: BondView = { count: 0, i: new Int32Array(0), j: new Int32Array(0), params: {} };

let versions = 0;

/**
 * Follows the state's bond tables across step calls. Tables are immutable objects that `setBonds`,
 * `remove`, `copyFrom` replace, so identity tells whether anything changed. A missing table has no
 * bonds (as core's reference energy counts it). With `shared`, the tables are copied into
 * SharedArrayBuffers so worker threads read the very same arrays.
 */
export class TopologyTracker {
  readonly #plan: KernelPlan;
  readonly #shared: boolean;
  readonly #excludes: boolean;
  #seen: (BondTable | undefined)[] = [];
  #seenGroups: string[] = [];
  #count = -1;
  #current: Topology = EMPTY_TOPOLOGY;

  constructor(plan: KernelPlan, shared: boolean) {
    this.#plan = plan;
    this.#shared = shared;
    this.#excludes = plan.pairs.some((p) => p.excludeBonds);
  }

  get needed(): boolean {
    return this.#plan.bonds.length > 0 || this.#excludes;
  }

  update(state: ParticleState): Topology {
    if (!this.needed) return this.#current;
    const groups = this.#excludes
      ? [...new Set([...this.#plan.bonds.map((b) => b.group), ...state.bondGroups])]
      : this.#plan.bonds.map((b) => b.group);
    const tables = groups.map((g) => state.bonds(g));
    const unchanged =
      state.count === this.#count &&
      tables.length === this.#seen.length &&
      tables.every((t, k) => t === this.#seen[k]) &&
      this.#groupsMatch(groups);
    if (unchanged) return this.#current;
    this.#seenGroups = groups;
    this.#seen = tables;
    this.#count = state.count;
    this.#current = {
      version: ++versions,
      bonds: this.#plan.bonds.map((term) => this.#view(state.bonds(term.group), term.perBond)),
      exclusions: this.#excludes ? this.#exclusions(state) : null,
    };
    return this.#current;
  }

  #groupsMatch(groups: string[]): boolean {
    return groups.length === this.#seenGroups.length && groups.every((g, k) => g === this.#seenGroups[k]);
  }

  #ints(n: number): Int32Array {
    return this.#shared ? new Int32Array(new SharedArrayBuffer(Math.max(n, 1) * 4), 0, n) : new Int32Array(n);
  }

  #view(table: BondTable | undefined, perBond: readonly string[]): BondView {
    if (!table) return NO_BONDS;
    const params: Record<string, Float32Array> = {};
    if (!this.#shared) {
      for (const name of perBond) params[name] = table.params[name];
      return { count: table.count, i: table.i, j: table.j, params };
    }
    const copyInts = (a: Int32Array) => {
      const out = this.#ints(a.length);
      out.set(a);
      return out;
    };
    for (const name of perBond) {
      const src = table.params[name];
      const out = new Float32Array(new SharedArrayBuffer(Math.max(src.length, 1) * 4), 0, src.length);
      out.set(src);
      params[name] = out;
    }
    return { count: table.count, i: copyInts(table.i), j: copyInts(table.j), params };
  }

  /** Bonded partners of every particle over all tables (both directions; duplicates kept, harmless). */
  #exclusions(state: ParticleState): { start: Int32Array; list: Int32Array } {
    const n = state.count;
    const tables = state.bondGroups.map((g) => state.bonds(g)!);
    const start = this.#ints(n + 1);
    for (const t of tables) {
      for (let b = 0; b < t.count; b++) {
        start[t.i[b] + 1]++;
        start[t.j[b] + 1]++;
      }
    }
    for (let i = 0; i < n; i++) start[i + 1] += start[i];
    const list = this.#ints(start[n]);
    const cursor = start.slice(0, n);
    for (const t of tables) {
      for (let b = 0; b < t.count; b++) {
        const i = t.i[b],
          j = t.j[b];
        list[cursor[i]++] = j;
        list[cursor[j]++] = i;
      }
    }
    return { start, list };
  }
}
