import { ValidationError, type BondTable, type ParticleState } from '@brokenrecord/core';
import { BINDING, TOPOLOGY_BINDING, type Layouts } from './bindings.js';
import type { GpuBuffers } from './buffers.js';
import { BufferUsage } from './gpu-constants.js';
import type { GpuPlan } from './gpu-plan.js';
import { MAX_BOND_TERMS, MAX_BONDS_PER_TABLE, TOPOLOGY, topologyHeaderWords } from './kernels/custom-common.js';

/**
 * The topology words of `state` for `plan` (layout: kernels/custom-common.ts): the header, each
 * particle's bonds of the bondForce terms as an adjacency list (CSR: counting sort by particle,
 * entries in term then bond order), the bonded partners of every bond table when a pair force
 * excludes bonds (sorted, duplicates dropped), and the per-bond values as f32 bits.
 */
export function buildTopology(plan: GpuPlan, state: ParticleState): Uint32Array {
  const n = state.count;
  const terms = plan.bonds;
  if (terms.length > MAX_BOND_TERMS) {
    throw new ValidationError('system.rules', `the webgpu backend runs at most ${MAX_BOND_TERMS} bondForce rules (got ${terms.length})`);
  }
  const tables = terms.map((term) => state.bonds(term.group));
  for (const [k, table] of tables.entries()) {
    if (!table) continue;
    if (table.count >= MAX_BONDS_PER_TABLE) {
      throw new ValidationError(
        `state.bonds.${terms[k].group}`,
        `the webgpu backend holds at most ${MAX_BONDS_PER_TABLE - 1} bonds per table (got ${table.count})`,
      );
    }
    checkIndices(terms[k].group, table, n);
    for (const name of terms[k].perBond) {
      if (!table.params[name])
        throw new ValidationError(`state.bonds.${terms[k].group}.perBond.${name}`, 'is missing: the bondForce rule reads it');
    }
  }
  const header = topologyHeaderWords(terms.length);
  const bondEntries = tables.reduce((sum, t) => sum + 2 * (t?.count ?? 0), 0);
  const partners = plan.excludeBonds ? bondedPartners(state) : null;
  const perBondWords = terms.reduce((sum, term, k) => sum + term.perBond.length * (tables[k]?.count ?? 0), 0);
  const hasBonds = terms.length > 0;
  const words = header + (hasBonds ? n + 1 + 2 * bondEntries : 0) + (partners ? n + 1 + partners.entries.length : 0) + perBondWords;
  const out = new Uint32Array(Math.max(words, header));
  const asFloat = new Float32Array(out.buffer);
  let free = header;
  if (hasBonds) {
    const offsets = free;
    const entries = offsets + n + 1;
    out[TOPOLOGY.BOND_OFFSETS] = offsets;
    out[TOPOLOGY.BOND_ENTRIES] = entries;
    // Counting sort of both ends of every bond by particle.
    const counts = new Uint32Array(n + 1);
    for (const table of tables) {
      if (!table) continue;
      for (let b = 0; b < table.count; b++) {
        counts[table.i[b]]++;
        counts[table.j[b]]++;
      }
    }
    let running = 0;
    for (let p = 0; p < n; p++) {
      out[offsets + p] = running;
      running += counts[p];
    }
    out[offsets + n] = running;
    const cursor = new Uint32Array(n);
    for (let p = 0; p < n; p++) cursor[p] = out[offsets + p];
    tables.forEach((table, k) => {
      if (!table) return;
      for (let b = 0; b < table.count; b++) {
        const i = table.i[b];
        const j = table.j[b];
        const word = (b << 8) | (k << 1);
        const ei = entries + 2 * cursor[i]++;
        out[ei] = j;
        out[ei + 1] = (word | 1) >>> 0;
        const ej = entries + 2 * cursor[j]++;
        out[ej] = i;
        out[ej + 1] = word >>> 0;
      }
    });
    free = entries + 2 * running;
  }
  if (partners) {
    const offsets = free;
    const entries = offsets + n + 1;
    out[TOPOLOGY.EXCLUSION_OFFSETS] = offsets;
    out[TOPOLOGY.EXCLUSION_ENTRIES] = entries;
    out.set(partners.offsets, offsets);
    out.set(partners.entries, entries);
    free = entries + partners.entries.length;
  }
  terms.forEach((term, k) => {
    const table = tables[k];
    const count = table?.count ?? 0;
    out[TOPOLOGY.PER_BOND + 2 * k] = free;
    out[TOPOLOGY.PER_BOND + 2 * k + 1] = count;
    for (const name of term.perBond) {
      if (table) asFloat.set(table.params[name].subarray(0, count), free);
      free += count;
    }
  });
  return out;
}

function checkIndices(group: string, table: BondTable, n: number): void {
  for (let b = 0; b < table.count; b++) {
    const i = table.i[b];
    const j = table.j[b];
    if (!(i >= 0 && i < n && j >= 0 && j < n)) {
      throw new ValidationError(`state.bonds.${group}`, `bond ${b} joins particles ${i} and ${j}, but the state has ${n}`);
    }
  }
}

/** Every particle's bonded partners over all bond tables of the state: CSR, sorted, without repeats. */
function bondedPartners(state: ParticleState): { offsets: Uint32Array; entries: Uint32Array } {
  const n = state.count;
  const lists: Set<number>[] = Array.from({ length: n }, () => new Set());
  for (const group of state.bondGroups) {
    const table = state.bonds(group)!;
    checkIndices(group, table, n);
    for (let b = 0; b < table.count; b++) {
      lists[table.i[b]].add(table.j[b]);
      lists[table.j[b]].add(table.i[b]);
    }
  }
  const offsets = new Uint32Array(n + 1);
  let total = 0;
  for (let p = 0; p < n; p++) {
    offsets[p] = total;
    total += lists[p].size;
  }
  offsets[n] = total;
  const entries = new Uint32Array(total);
  for (let p = 0; p < n; p++)
    entries.set(
      [...lists[p]].sort((a, b) => a - b),
      offsets[p],
    );
  return { offsets, entries };
}

/**
 * The topology buffer of one simulation and the bind group of its generated kernels (group 0
 * with binding 8 = topology, see bindings.ts). Uploaded with the state; the bind group is made
 * again when the state's buffers or the topology buffer are reallocated.
 */
export class CustomData {
  readonly #device: GPUDevice;
  readonly #layouts: Layouts;
  readonly #plan: GpuPlan;
  #buffer: GPUBuffer | null = null;
  #capacityWords = 0;
  #bindGroup: GPUBindGroup | null = null;
  #boundTo: GpuBuffers | null = null;
  /** The bond tables last uploaded, by group (tables are immutable: setBonds makes a new one). */
  #uploaded = new Map<string, BondTable | undefined>();
  /** The attribute columns last uploaded, as bits. */
  #attributeBits: Uint32Array[] = [];

  constructor(device: GPUDevice, layouts: Layouts, plan: GpuPlan) {
    this.#device = device;
    this.#layouts = layouts;
    this.#plan = plan;
  }

  /**
   * Writes the attribute columns the rules read into the properties buffer (after mass and
   * radius, plan.attributes order) and the topology of `state` (growing its buffer if needed),
   * and remembers both, so that `changed` tells later edits apart. Call inside an error scope.
   */
  upload(state: ParticleState, buffers: GpuBuffers): void {
    const queue = this.#device.queue;
    const n = state.count;
    this.#plan.attributes.forEach((name, k) => {
      const column = state.attribute(name);
      if (n > 0) queue.writeBuffer(buffers.properties, (2 + k) * buffers.capacity * 4, column.buffer, column.byteOffset, n * 4);
    });
    const words = buildTopology(this.#plan, state);
    if (words.length > this.#capacityWords) {
      this.#buffer?.destroy();
      // Room to grow by a quarter before the next reallocation.
      this.#capacityWords = Math.ceil(words.length * 1.25) + 16;
      this.#buffer = this.#device.createBuffer({
        label: 'brokenrecord topology',
        size: 4 * this.#capacityWords,
        usage: BufferUsage.STORAGE | BufferUsage.COPY_DST,
      });
      this.#bindGroup = null;
    }
    queue.writeBuffer(this.#buffer!, 0, words.buffer, words.byteOffset, words.byteLength);
    this.#uploaded = new Map(this.#groups(state).map((g) => [g, state.bonds(g)]));
    this.#attributeBits = this.#plan.attributes.map((name) => new Uint32Array(bitsOf(state.attribute(name))));
  }

  /**
   * Whether `state`'s attribute columns (bit for bit) or bond tables (setBonds/deleteBonds replace
   * a table; tables are never edited in place) differ from what was uploaded.
   */
  changed(state: ParticleState): boolean {
    const groups = this.#groups(state);
    if (groups.length !== this.#uploaded.size) return true;
    if (!groups.every((g) => this.#uploaded.has(g) && this.#uploaded.get(g) === state.bonds(g))) return true;
    return this.#plan.attributes.some((name, k) => {
      const now = bitsOf(state.attribute(name));
      const then = this.#attributeBits[k];
      if (!then || now.length !== then.length) return true;
      for (let i = 0; i < now.length; i++) if (now[i] !== then[i]) return true;
      return false;
    });
  }

  /** The step clock at the simulation's step `step` (a whole number). Call inside an error scope. */
  writeClock(step: number): void {
    const words = new Uint32Array(4);
    words[TOPOLOGY.STEP_LO] = step % 2 ** 32;
    words[TOPOLOGY.STEP_HI] = Math.floor(step / 2 ** 32);
    this.#device.queue.writeBuffer(this.#buffer!, 0, words.buffer);
  }

  /** Rules that read t see `time` itself (f32) until the next writeClock: diagnostics at a time. */
  writeFixedTime(time: number): void {
    const words = new Uint32Array(4);
    words[TOPOLOGY.FIXED_TIME] = 1;
    new Float32Array(words.buffer)[TOPOLOGY.TIME] = time;
    this.#device.queue.writeBuffer(this.#buffer!, 0, words.buffer);
  }

  /** Group 0 for the generated kernels over `buffers`: the state's bindings, topology at binding 8. */
  bindGroup(buffers: GpuBuffers): GPUBindGroup {
    if (this.#bindGroup && this.#boundTo === buffers) return this.#bindGroup;
    const entries: GPUBindGroupEntry[] = [
      { binding: BINDING.params, resource: { buffer: buffers.params } },
      { binding: BINDING.position, resource: { buffer: buffers.position } },
      { binding: BINDING.velocity, resource: { buffer: buffers.velocity } },
      { binding: BINDING.properties, resource: { buffer: buffers.properties } },
      { binding: BINDING.scratch, resource: { buffer: buffers.scratch } },
      { binding: BINDING.cells, resource: { buffer: buffers.cells } },
      { binding: BINDING.particleCells, resource: { buffer: buffers.particleCells } },
      { binding: BINDING.grid, resource: { buffer: buffers.gridInfo } },
      { binding: TOPOLOGY_BINDING, resource: { buffer: this.#buffer! } },
    ];
    this.#bindGroup = this.#device.createBindGroup({ label: 'brokenrecord generated', layout: this.#layouts.custom, entries });
    this.#boundTo = buffers;
    return this.#bindGroup;
  }

  destroy(): void {
    this.#buffer?.destroy();
    this.#buffer = null;
    this.#bindGroup = null;
    this.#boundTo = null;
  }

  /** Groups whose tables the topology holds: the bond terms', and every table when pairs exclude bonds. */
  #groups(state: ParticleState): string[] {
    return this.#plan.excludeBonds
      ? [...new Set([...this.#plan.bondGroups, ...state.bondGroups])].sort()
      : [...this.#plan.bondGroups].sort();
  }
}

function bitsOf(column: Float32Array): Uint32Array {
  return new Uint32Array(column.buffer, column.byteOffset, column.length);
}
