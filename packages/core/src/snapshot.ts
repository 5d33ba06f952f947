import { crc32 } from './checksum.js';
import { writeFileAtomic } from './atomic-file.js';
import { SnapshotError } from './errors.js';
import { COLUMNS, findInvalidValue, MAX_PARTICLES, ParticleState } from './state.js';
import { systemFromJSON, systemToJSON, type SystemDefinition } from './system.js';

/**
 * Snapshot format, version 1 (all little-endian):
 *
 *   0  "BRSNAP\0\0"        magic
 *   8  u32 version         = 1
 *  12  u32 count           particles
 *  16  f64 step            steps taken so far
 *  24  f64 time            simulated time
 *  32  f64 dt
 *  40  u32 L               length of the system JSON
 *  44  L bytes             system JSON (UTF-8), zero-padded to a multiple of 4
 *   …  8 × count × f32     columns px py pz vx vy vz mass radius
 * end  u32                 CRC-32 of every byte before it
 */
export const SNAPSHOT_VERSION = 1;
const MAGIC = [0x42, 0x52, 0x53, 0x4e, 0x41, 0x50, 0, 0]; // "BRSNAP\0\0"
const HEADER = 44;

export interface SnapshotData {
  system: SystemDefinition;
  state: ParticleState;
  dt: number;
  step: number;
  time: number;
}

const pad4 = (n: number) => (n + 3) & ~3;

export function encodeSnapshot(data: SnapshotData): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(systemToJSON(data.system)));
  const n = data.state.count;
  const columnsAt = HEADER + pad4(json.length);
  const total = columnsAt + COLUMNS.length * n * 4 + 4;
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
  COLUMNS.forEach((c, k) => {
    const col = data.state.column(c);
    const at = columnsAt + k * n * 4;
    for (let i = 0; i < n; i++) view.setFloat32(at + 4 * i, col[i], true);
  });
  view.setUint32(total - 4, crc32(bytes.subarray(0, total - 4)), true);
  return bytes;
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
  if (version !== SNAPSHOT_VERSION) throw new SnapshotError(`unsupported snapshot version ${version} (this build reads ${SNAPSHOT_VERSION})`);
  const n = view.getUint32(12, true);
  const jsonLength = view.getUint32(40, true);
  if (n > MAX_PARTICLES) throw new SnapshotError(`corrupt: ${n} particles`);
  const columnsAt = HEADER + pad4(jsonLength);
  const expected = columnsAt + COLUMNS.length * n * 4 + 4;
  if (bytes.length < expected) throw new SnapshotError(`truncated: ${bytes.length} bytes, expected ${expected}`);
  if (bytes.length > expected) throw new SnapshotError(`corrupt: ${bytes.length - expected} trailing bytes`);
  const stored = view.getUint32(expected - 4, true);
  const actual = crc32(bytes.subarray(0, expected - 4));
  if (stored !== actual) throw new SnapshotError(`checksum mismatch (stored ${hex(stored)}, computed ${hex(actual)})`);

  const step = view.getFloat64(16, true);
  const time = view.getFloat64(24, true);
  const dt = view.getFloat64(32, true);
  if (!Number.isInteger(step) || step < 0 || !Number.isFinite(time) || !(dt > 0) || !Number.isFinite(dt)) {
    throw new SnapshotError('corrupt: invalid step, time or dt');
  }
  let system: SystemDefinition;
  try {
    system = systemFromJSON(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(HEADER, HEADER + jsonLength))));
  } catch (e) {
    throw new SnapshotError(`invalid system description: ${e instanceof Error ? e.message : String(e)}`);
  }
  const state = ParticleState.create(n);
  COLUMNS.forEach((c, k) => {
    const col = state.column(c);
    const at = columnsAt + k * n * 4;
    for (let i = 0; i < n; i++) col[i] = view.getFloat32(at + 4 * i, true);
  });
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
  const fs = await import('node:fs/promises');
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (e) {
    throw new SnapshotError(`cannot read ${path}: ${(e as Error).message}`);
  }
  return decodeSnapshot(bytes);
}

