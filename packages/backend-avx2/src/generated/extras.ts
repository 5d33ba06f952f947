import type { BondTable, ParticleState } from '@brokenrecord/core';
import type { GeneratedLayout } from '@brokenrecord/native-common/codegen';

/** What NativeContext.setExtras reads, in the generated layout's order. */
export interface NativeExtras {
  attributes: Float32Array[];
  bonds: { count: number; i: Int32Array; j: Int32Array; params: Float32Array[] }[];
  exStart: Uint32Array | null;
  exList: Uint32Array | null;
  /** Changes whenever the bond tables change (the native verlet cache keys on it). */
  topology: number;
}

const EMPTY_INTS = new Int32Array(0);
const EMPTY_FLOATS = new Float32Array(0);

let versions = 0;

/**
 * Follows what a system's expression terms read beyond the eight columns: attribute columns (views
 * that move when the state's storage does) and bond tables (immutable objects that `setBonds`,
 * `remove`, `copyFrom` replace, so identity tells whether anything changed; a missing table has no
 * bonds). `update` returns the extras to pass when anything differs from last time, else null.
 * With exclusions, every particle's bonded partners over all the state's tables (both directions,
 * as backend-ts builds them) in CSR form.
 */
export class ExtrasTracker {
  readonly #layout: GeneratedLayout;
  #attributes: Float32Array[] = [];
  #tables: (BondTable | undefined)[] = [];
  #groups: string[] = [];
  #count = -1;
  #current: NativeExtras | null = null;

  constructor(layout: GeneratedLayout) {
    this.#layout = layout;
  }

  /** Forget what was passed (the columns were passed again: the native side wants the extras too). */
  reset(): void {
    this.#current = null;
  }

  update(state: ParticleState): NativeExtras | null {
    const attributes = this.#layout.attributes.map((name) => state.attribute(name));
    const groups = this.#layout.exclusions ? [...state.bondGroups] : [];
    const tables = [...this.#layout.bonds.map((b) => state.bonds(b.group)), ...groups.map((g) => state.bonds(g))];
    const same =
      this.#current !== null &&
      state.count === this.#count &&
      attributes.every((a, k) => a === this.#attributes[k]) &&
      tables.length === this.#tables.length &&
      tables.every((t, k) => t === this.#tables[k]) &&
      groups.every((g, k) => g === this.#groups[k]);
    if (same) return null;
    const topologyChanged =
      this.#current === null ||
      state.count !== this.#count ||
      tables.length !== this.#tables.length ||
      tables.some((t, k) => t !== this.#tables[k]) ||
      groups.some((g, k) => g !== this.#groups[k]);
    this.#attributes = attributes;
    this.#tables = tables;
    this.#groups = groups;
    this.#count = state.count;
    const exclusions = this.#layout.exclusions ? this.#exclusions(state) : null;
    this.#current = {
      attributes,
      bonds: this.#layout.bonds.map((b) => {
        const table = state.bonds(b.group);
        if (!table) return { count: 0, i: EMPTY_INTS, j: EMPTY_INTS, params: b.perBond.map(() => EMPTY_FLOATS) };
        return { count: table.count, i: table.i, j: table.j, params: b.perBond.map((p) => table.params[p]!) };
      }),
      exStart: exclusions?.start ?? null,
      exList: exclusions?.list ?? null,
      topology: topologyChanged ? ++versions : this.#current!.topology,
    };
    return this.#current;
  }

  #exclusions(state: ParticleState): { start: Uint32Array; list: Uint32Array } {
    const n = state.count;
    const tables = state.bondGroups.map((g) => state.bonds(g)!);
    const start = new Uint32Array(n + 1);
    for (const t of tables) {
      for (let b = 0; b < t.count; b++) {
        start[t.i[b]! + 1]!++;
        start[t.j[b]! + 1]!++;
      }
    }
    for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
    const list = new Uint32Array(Math.max(start[n]!, 1));
    const cursor = start.slice(0, n);
    for (const t of tables) {
      for (let b = 0; b < t.count; b++) {
        const i = t.i[b]!,
          j = t.j[b]!;
        list[cursor[i]!++] = j;
        list[cursor[j]!++] = i;
      }
    }
    return { start, list };
  }
}
