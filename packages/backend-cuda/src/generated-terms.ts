import type { KernelPlan, ParticleState } from '@brokenrecord/core';
import type { GeneratedLayout } from '@brokenrecord/native-common/codegen';

/** The arrays behind the generated terms' struct pointers, for one state (native writeTerms). */
export interface TermArrays {
  /** plan.attributes' columns, in layout order. */
  attributes: Float32Array[];
  /** Each plan.bonds table's ends (empty when the state has no such table). */
  bondI: Int32Array[];
  bondJ: Int32Array[];
  /** Every table's per-bond columns, table after table (layout paramOffset). */
  bondParams: Float32Array[];
  /** Every particle's bonded partners over all the state's bond tables (CSR; empty without exclusions). */
  exStart: Uint32Array;
  exList: Uint32Array;
  /** Each particle's bonds of plan.bonds as CSR entries (table, bond), in table then bond order. */
  bondStart: Uint32Array;
  bondTable: Uint32Array;
  bondIndex: Uint32Array;
}

/** A plan with terms the generated code runs (presets only: none). */
export function hasExpressionTerms(plan: KernelPlan): boolean {
  return plan.pairs.length + plan.bonds.length + plan.external.length + plan.fields.length > 0;
}

/** Ends of a table, clipped to its count. */
function ends(state: ParticleState, group: string): { i: Int32Array; j: Int32Array; count: number } {
  const t = state.bonds(group);
  if (!t) return { i: new Int32Array(0), j: new Int32Array(0), count: 0 };
  return { i: t.i.subarray(0, t.count), j: t.j.subarray(0, t.count), count: t.count };
}

/** CSR lists of `pairs` (both ends of each) over n particles, in the order given. */
function csr<T>(n: number, pairs: Iterable<[number, number, T]>, emit: (e: number, other: number, tag: T) => void): Uint32Array {
  const list = [...pairs];
  const start = new Uint32Array(n + 1);
  for (const [i, j] of list) {
    start[i + 1]++;
    start[j + 1]++;
  }
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const next = start.slice(0, n);
  for (const [i, j, tag] of list) {
    emit(next[i]++, j, tag);
    emit(next[j]++, i, tag);
  }
  return start;
}

function* tablePairs(state: ParticleState, groups: readonly string[]): Generator<[number, number, [number, number]]> {
  for (let k = 0; k < groups.length; k++) {
    const t = ends(state, groups[k]!);
    for (let b = 0; b < t.count; b++) yield [t.i[b]!, t.j[b]!, [k, b]];
  }
}

export function termArrays(plan: KernelPlan, layout: GeneratedLayout, state: ParticleState): TermArrays {
  const n = state.count;
  const groups = plan.bonds.map((b) => b.group);
  const tables = groups.map((g) => ends(state, g));
  const bondParams: Float32Array[] = [];
  for (const b of layout.bonds) {
    const table = state.bonds(b.group);
    for (const name of b.perBond) bondParams.push(table ? table.params[name]!.subarray(0, table.count) : new Float32Array(0));
  }
  let exStart: Uint32Array = new Uint32Array(0);
  let exList: Uint32Array = new Uint32Array(0);
  if (layout.exclusions) {
    const all = [...new Set([...groups, ...state.bondGroups])];
    const size = all.reduce((s, g) => s + 2 * ends(state, g).count, 0);
    exList = new Uint32Array(size);
    exStart = csr(n, tablePairs(state, all), (e, other) => {
      exList[e] = other;
    });
  }
  const entries = tables.reduce((s, t) => s + 2 * t.count, 0);
  const bondTable = new Uint32Array(entries);
  const bondIndex = new Uint32Array(entries);
  const bondStart = csr(n, tablePairs(state, groups), (e, _other, [k, b]) => {
    bondTable[e] = k;
    bondIndex[e] = b;
  });
  return {
    attributes: layout.attributes.map((name) => state.attribute(name)),
    bondI: tables.map((t) => t.i),
    bondJ: tables.map((t) => t.j),
    bondParams,
    exStart,
    exList,
    bondStart,
    bondTable,
    bondIndex,
  };
}

function sameArray(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Whether two uploads of the terms' arrays hold the same values (the state's attributes and bonds unchanged). */
export function sameTerms(a: TermArrays, b: TermArrays | null): boolean {
  if (!b) return false;
  const lists = ['attributes', 'bondI', 'bondJ', 'bondParams'] as const;
  for (const key of lists) {
    if (a[key].length !== b[key].length) return false;
    for (let k = 0; k < a[key].length; k++) if (!sameArray(a[key][k]!, b[key][k]!)) return false;
  }
  return sameArray(a.exStart, b.exStart) && sameArray(a.exList, b.exList);
}

/** A copy that owns its arrays (the state's columns and tables are views of buffers it may grow or reuse). */
export function copyTerms(a: TermArrays): TermArrays {
  return {
    attributes: a.attributes.map((c) => c.slice()),
    bondI: a.bondI.map((c) => c.slice()),
    bondJ: a.bondJ.map((c) => c.slice()),
    bondParams: a.bondParams.map((c) => c.slice()),
    exStart: a.exStart.slice(),
    exList: a.exList.slice(),
    bondStart: a.bondStart.slice(),
    bondTable: a.bondTable.slice(),
    bondIndex: a.bondIndex.slice(),
  };
}
