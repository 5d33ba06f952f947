import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  crc32,
  decodeSnapshot,
  defineSystem,
  encodeSnapshot,
  loadSnapshot,
  ParticleState,
  saveSnapshot,
  SnapshotError,
  toCSV,
  toVTK,
  toXYZ,
  uniformGravity,
} from '../src/index.js';

const system = defineSystem({ rules: [uniformGravity()] });
const state = ParticleState.from({
  position: [
    [1, 2, 3],
    [0.1, -0.2, 1e-7],
  ],
  velocity: [
    [4, 5, 6],
    [7, 8, 9],
  ],
  mass: [1, 2.5],
  radius: [0, 0.25],
});
const data = { system, state, dt: 0.01, step: 42, time: 0.42 };

describe('snapshots', () => {
  it('CRC-32 matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
  it('round-trips bit-exactly', () => {
    const back = decodeSnapshot(encodeSnapshot(data));
    expect(back.step).toBe(42);
    expect(back.dt).toBe(0.01);
    for (const c of ['px', 'py', 'pz', 'vx', 'vy', 'vz', 'mass', 'radius'] as const) {
      expect(new Uint32Array(back.state.column(c).slice().buffer)).toEqual(new Uint32Array(state.column(c).slice().buffer));
    }
    expect(back.system.rules[0]).toEqual(system.rules[0]);
  });
  it('rejects every single flipped byte', () => {
    const bytes = encodeSnapshot(data);
    for (let i = 0; i < bytes.length; i++) {
      const bad = bytes.slice();
      bad[i] ^= 0x10;
      expect(() => decodeSnapshot(bad), `byte ${i}`).toThrow(SnapshotError);
    }
  });
  it('rejects truncation, trailing bytes and other versions', () => {
    const bytes = encodeSnapshot(data);
    for (const n of [0, 10, 44, bytes.length - 1]) expect(() => decodeSnapshot(bytes.subarray(0, n))).toThrow(/truncated/);
    const longer = new Uint8Array(bytes.length + 4);
    longer.set(bytes);
    expect(() => decodeSnapshot(longer)).toThrow(SnapshotError);
    for (const version of [0, 3, 0xffffffff]) {
      const other = bytes.slice();
      const view = new DataView(other.buffer);
      view.setUint32(8, version, true);
      view.setUint32(other.length - 4, crc32(other.subarray(0, other.length - 4)), true);
      expect(() => decodeSnapshot(other)).toThrow(new RegExp(`version ${version}`));
    }
  });
  it('writes files atomically and reads them back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brsnap-'));
    const path = join(dir, 'a.brsnap');
    await saveSnapshot(path, data);
    await saveSnapshot(path, { ...data, step: 43 });
    expect(readdirSync(dir)).toEqual(['a.brsnap']); // no temp file left behind
    expect((await loadSnapshot(path)).step).toBe(43);
    expect(readFileSync(path).length).toBe(encodeSnapshot(data).length);
    await expect(loadSnapshot(join(dir, 'missing.brsnap'))).rejects.toThrow(SnapshotError);
  });
});

describe('exports', () => {
  it('CSV has a header and one row per particle', () => {
    const lines = toCSV(state, { step: 3, time: 0.03 }).trim().split('\n');
    expect(lines[0]).toBe('step,time,id,x,y,z,vx,vy,vz,mass,radius');
    expect(lines[1]).toBe('3,0.03,0,1,2,3,4,5,6,1,0');
    expect(lines).toHaveLength(3);
  });
  it('XYZ has count and properties line', () => {
    const lines = toXYZ(state).trim().split('\n');
    expect(lines[0]).toBe('2');
    expect(lines[1]).toMatch(/^Properties=species:S:1:pos:R:3/);
    expect(lines[2].split(' ')).toHaveLength(9);
  });
  it('VTK is legacy polydata with point data', () => {
    const vtk = toVTK(state);
    expect(vtk).toMatch(/^# vtk DataFile Version 3.0\n/);
    expect(vtk).toContain('DATASET POLYDATA\nPOINTS 2 float\n1.0 2.0 3.0\n');
    expect(vtk).toContain('VERTICES 2 4\n1 0\n1 1\n');
    expect(vtk).toContain('VECTORS velocity float');
  });
});
