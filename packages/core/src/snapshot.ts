import { crc32 } from './checksum.js';
import { writeFileAtomic } from './atomic-file.js';
import { SnapshotError, ValidationError } from './errors.js';
import { checkLiveState } from './state-check.js';
import { checkDt } from './validate.js';
import { nodeFiles } from '#platform';
import { COLUMNS, findInvalidValue, MAX_PARTICLES, ParticleState } from './state.js';
import { systemFromJSON, systemToJSON, type SystemDefinition } from './system.js';

/**
 * Snapshot format, version 2 (all little-endian):
 *
 *   0  "BRSNAP\0\0"        magic
 *   8  u32 version         = 2
 *  12  u32 count           particles
 *  16  f64 step            steps taken so far
 *  24  f64 time            simulated time
 *  32  f64 dt
 *  40  u32 L               length of the system JSON
 *  44  L bytes             system JSON (UTF-8), zero-padded to a multiple of 4
 *   …  u32 M               length of the layout JSON
 *   …  M bytes             layout JSON (UTF-8), zero-padded to a multiple of 4:
 *                          {"attributes":["q",…],"bonds":[{"group":"g","count":B,"params":["k",…]},…]}
 *   …  8 × count × f32     columns px py pz vx vy vz mass radius
 *   …  A × count × f32     attribute columns, in the layout's order
 *   …  per bond group, in the layout's order:
 *        B × i32 i, B × i32 j, then B × f32 per parameter, in the layout's order
 * end  u32                 CRC-32 of every byte before it
 *
 * Version 1 is the same without the layout block and what follows the eight columns (no attributes,
 * no bonds); it still decodes.
 */
export const SNAPSHOT_VERSION = 2;
/** Versions `decodeSnapshot` reads. */
export const SNAPSHOT_VERSIONS_READ: readonly number[] = Object.freeze([1, 2]);
const MAGIC = [0x42, 0x52, 0x53, 0x4e, 0x41, 0x50, 0, 0]; // "BRSNAP\0\0"
const HEADER = 44;

export interface SnapshotData {
  system: SystemDefinition;
  state: ParticleState;
  dt: number;
  step: number;
  time: number;
}

const pad4 = (n: number) => Math.ceil(n / 4) * 4; // arithmetic, not bitwise: lengths read from corrupt bytes reach 2^32

export function encodeSnapshot(data: SnapshotData): Uint8Array {
  if (!data || typeof data !== 'object') throw new ValidationError('snapshot', 'expected { system, state, dt, step, time }');
  // What decodeSnapshot would refuse is refused here, so a written snapshot always restores.
  if (!Number.isSafeInteger(data.step) || data.step < 0) {
    throw new ValidationError(
      'snapshot.step',
      `${String(data.step)} must be a non-negative integer ≤ 2^53 − 1 (exact in the file's float64)`,
    );
  }
  if (typeof data.time !== 'number' || !Number.isFinite(data.time))
    throw new ValidationError('snapshot.time', `${String(data.time)} must be a finite number`);
  checkDt(data.dt);
  checkLiveState(data.state);
  const encoder = new TextEncoder();
  const json = encoder.encode(JSON.stringify(systemToJSON(data.system)));
  const state = data.state;
  const n = state.count;
  const attributes = state.attributeNames;
  const groups = state.bondGroups.map((group) => ({ group, table: state.bonds(group)! }));
  const layout: Layout = {
    attributes: [...attributes],
    bonds: groups.map(({ group, table }) => ({ group, count: table.count, params: Object.keys(table.params) })),
  };
  const layoutJSON = encoder.encode(JSON.stringify(layout));
  const layoutAt = HEADER + pad4(json.length);
  const columnsAt = layoutAt + 4 + pad4(layoutJSON.length);
  const bondsAt = columnsAt + (COLUMNS.length + attributes.length) * n * 4;
  const total = bondsAt + bondBlockBytes(layout) + 4;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint32(8, SNAPSHOT_VERSION, true);
  view.setUint32(12, n, true);
  view.setFloat64(16, data.step, true);
  view.setFloat64(24, data.time, true);
  view.setFloat64(32, data.dt, true);
  view.setUint32(40, json.length, true);
  bytes.set(json, HEADER);
  view.setUint32(layoutAt, layoutJSON.length, true);
  bytes.set(layoutJSON, layoutAt + 4);
  let at = columnsAt;
  const put = (values: ArrayLike<number>, float: boolean) => {
    for (let i = 0; i < values.length; i++, at += 4) {
      if (float) view.setFloat32(at, values[i], true);
      else view.setInt32(at, values[i], true);
    }
  };
  for (const c of COLUMNS) put(state.column(c), true);
  for (const name of attributes) put(state.attribute(name), true);
  for (const { table } of groups) {
    put(table.i, false);
    put(table.j, false);
    for (const col of Object.values(table.params)) put(col, true);
  }
  view.setUint32(total - 4, crc32(bytes.subarray(0, total - 4)), true);
  return bytes;
}

/** What a version 2 snapshot holds beside the eight columns (its layout JSON). */
interface Layout {
  attributes: string[];
  bonds: { group: string; count: number; params: string[] }[];
}

const bondBlockBytes = (layout: Layout) => layout.bonds.reduce((sum, b) => sum + (2 + b.params.length) * b.count * 4, 0);

/** The layout JSON's shape, checked strictly (its names are checked again by ParticleState). */
function parseLayout(bytes: Uint8Array): Layout {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new SnapshotError(`corrupt layout: ${e instanceof Error ? e.message : String(e)}`);
  }
  const bad = (what: string): never => {
    throw new SnapshotError(`corrupt layout: ${what}`);
  };
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  const names = (v: unknown, what: string): string[] => {
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) bad(`${what} is not a list of names`);
    if (new Set(v as string[]).size !== (v as string[]).length) bad(`${what} has a duplicate name`);
    return v as string[];
  };
  if (!isObject(value)) return bad('expected an object');
  const keys = Object.keys(value).sort().join(',');
  if (keys !== 'attributes,bonds') bad(`unexpected keys ${keys}`);
  const attributes = names(value.attributes, 'attributes');
  if (!Array.isArray(value.bonds)) return bad('bonds is not a list');
  const bonds = value.bonds.map((b: unknown, k: number) => {
    if (!isObject(b) || Object.keys(b).sort().join(',') !== 'count,group,params') bad(`bonds[${k}] is not {group, count, params}`);
    const { group, count, params } = b as Record<string, unknown>;
    if (typeof group !== 'string') bad(`bonds[${k}].group is not a name`);
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > 0x7fffffff)
      bad(`bonds[${k}].count is ${String(count)}`);
    return { group: group as string, count: count as number, params: names(params, `bonds[${k}].params`) };
  });
  if (new Set(bonds.map((b) => b.group)).size !== bonds.length) bad('two bond groups share a name');
  return { attributes, bonds };
}

/** Parses and fully validates snapshot bytes; anything wrong is a `SnapshotError` saying what. */
export function decodeSnapshot(input: Uint8Array | ArrayBuffer): SnapshotData {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length < HEADER + 4) throw new SnapshotError(`truncated: ${bytes.length} bytes is shorter than the header`);
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw new SnapshotError('not a BrokenRecord snapshot (bad magic)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (!SNAPSHOT_VERSIONS_READ.includes(version)) {
    throw new SnapshotError(`unsupported snapshot version ${version} (this build reads ${SNAPSHOT_VERSIONS_READ.join(' and ')})`);
  }
  const n = view.getUint32(12, true);
  const jsonLength = view.getUint32(40, true);
  if (n > MAX_PARTICLES) throw new SnapshotError(`corrupt: ${n} particles`);
  const layoutAt = HEADER + pad4(jsonLength);
  let layout: Layout = { attributes: [], bonds: [] };
  let columnsAt = layoutAt;
  if (version >= 2) {
    if (bytes.length < layoutAt + 8) throw new SnapshotError(`truncated: ${bytes.length} bytes end before the layout block`);
    const layoutLength = view.getUint32(layoutAt, true);
    columnsAt = layoutAt + 4 + pad4(layoutLength);
    if (bytes.length < columnsAt + 4) throw new SnapshotError(`truncated: ${bytes.length} bytes end inside the layout block`);
    layout = parseLayout(bytes.subarray(layoutAt + 4, layoutAt + 4 + layoutLength));
  }
  const bondsAt = columnsAt + (COLUMNS.length + layout.attributes.length) * n * 4;
  const expected = bondsAt + bondBlockBytes(layout) + 4;
  if (bytes.length < expected) throw new SnapshotError(`truncated: ${bytes.length} bytes, expected ${expected}`);
  if (bytes.length > expected) throw new SnapshotError(`corrupt: ${bytes.length - expected} trailing bytes`);
  const stored = view.getUint32(expected - 4, true);
  const actual = crc32(bytes.subarray(0, expected - 4));
  if (stored !== actual) throw new SnapshotError(`checksum mismatch (stored ${hex(stored)}, computed ${hex(actual)})`);

  const step = view.getFloat64(16, true);
  const time = view.getFloat64(24, true);
  const dt = view.getFloat64(32, true);
  if (!Number.isSafeInteger(step) || step < 0 || !Number.isFinite(time) || !(dt > 0) || !Number.isFinite(dt)) {
    throw new SnapshotError('corrupt: invalid step, time or dt');
  }
  let system: SystemDefinition;
  try {
    system = systemFromJSON(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(HEADER, HEADER + jsonLength))));
  } catch (e) {
    throw new SnapshotError(`invalid system description: ${e instanceof Error ? e.message : String(e)}`);
  }
  let state: ParticleState;
  try {
    state = ParticleState.create(n, { attributes: layout.attributes });
  } catch (e) {
    throw new SnapshotError(`invalid attribute list: ${e instanceof Error ? e.message : String(e)}`);
  }
  let at = columnsAt;
  const take = <T extends Float32Array | Int32Array>(into: T): T => {
    const float = into instanceof Float32Array;
    for (let i = 0; i < into.length; i++, at += 4) into[i] = float ? view.getFloat32(at, true) : view.getInt32(at, true);
    return into;
  };
  for (const c of COLUMNS) take(state.column(c));
  for (const name of layout.attributes) take(state.attribute(name));
  for (const { group, count, params } of layout.bonds) {
    const i = take(new Int32Array(count));
    const j = take(new Int32Array(count));
    const pairs = new Int32Array(2 * count);
    for (let b = 0; b < count; b++) {
      pairs[2 * b] = i[b];
      pairs[2 * b + 1] = j[b];
    }
    const perBond: Record<string, Float32Array> = {};
    for (const name of params) perBond[name] = take(new Float32Array(count));
    try {
      state.setBonds(group, pairs, perBond);
    } catch (e) {
      throw new SnapshotError(`invalid bonds: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const problem = findInvalidValue(state);
  if (problem) throw new SnapshotError(`invalid particle data: ${problem.field} ${problem.message}`);
  return { system, state, dt, step, time };
}

const hex = (v: number) => `0x${v.toString(16).padStart(8, '0')}`;

// File writing lives in atomic-file.ts (typed errors, temp files cleaned up).
export { writeFileAtomic } from './atomic-file.js';

export async function saveSnapshot(path: string, data: SnapshotData | Uint8Array): Promise<void> {
  await writeFileAtomic(path, data instanceof Uint8Array ? data : encodeSnapshot(data));
}

export async function loadSnapshot(path: string): Promise<SnapshotData> {
  const { fs } = await nodeFiles();
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (e) {
    throw new SnapshotError(`cannot read ${path}: ${(e as Error).message}`);
  }
  return decodeSnapshot(bytes);
}
