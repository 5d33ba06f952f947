import { describe, expect, it } from 'vitest';
import {
  crc32,
  decodeSnapshot,
  defineSystem,
  drag,
  encodeSnapshot,
  ParticleState,
  SNAPSHOT_VERSION,
  SnapshotError,
  uniformGravity,
  type SnapshotData,
} from '../src/index.js';

/**
 * A version 1 snapshot written by the encoder before version 2 existed: 3 particles, step 42,
 * time 0.42, dt 0.01, rules uniformGravity(g = [0, -9.81, 0]) and drag(k = 0.5).
 */
const V1_FIXTURE =
  'QlJTTkFQAAABAAAAAwAAAAAAAAAAAEVA4XoUrkfh2j97FK5H4XqEP4kAAAB7ImludGVncmF0b3IiOiJldWxlciIsInJ1bGVzIjpbeyJraW5kIjoidW5pZm9ybUdyYXZpdHkiLCJvcHRpb25zIjp7ImciOlswLC05LjgxLDBdfX0seyJraW5kIjoiZHJhZyIsIm9wdGlvbnMiOnsiayI6MC41fX1dLCJjb25zZXJ2ZXMiOltdfQAAAAAAgD/NzMw9AACAwAAAAEDNzEy+AACwQAAAQECVv9YzAADIQAAAgEAAAOBAAACAvwAAoEAAAABBAAAAAAAAwEAAABBBmpmZPgAAgD8AACBAAAAAPgAAAAAAAIA+AACAP2QjV2Y=';

const bits = (a: Float32Array | Int32Array) => [...new Uint32Array(a.buffer, a.byteOffset, a.length)];
const pad4 = (n: number) => (n + 3) & ~3;

function sample(): SnapshotData {
  const state = ParticleState.from({
    position: [
      [1, 2, 3],
      [0.1, -0.2, 1e-7],
      [-4, 5.5, 6.25],
      [7, 8, 9],
    ],
    velocity: [
      [4, 5, 6],
      [7, 8, 9],
      [-1, 0, 0.3],
      [0, 0, 0],
    ],
    mass: [1, 2.5, 0.125, 3],
    radius: [0, 0.25, 1, 0.5],
    // Values chosen to catch any lossy path: -0, a subnormal, the largest float32, a value float64 rounds.
    attributes: { q: [-0, 1e-45, 3.4028234663852886e38, 0.1], sigma: [1 / 3, -2, 1e-30, 7] },
  });
  state.addAttribute('epsilon', 0.7);
  state.setBonds(
    'backbone',
    [
      [0, 1],
      [1, 2],
      [2, 3],
      [0, 1],
    ],
    { k: [100, 0.1, -0, 1e-40], r0: [1, 1.5, 2, 2.5] },
  );
  state.setBonds('cross', [[3, 0]]);
  state.setBonds('none', [], { k: [] });
  return { system: defineSystem({ rules: [uniformGravity(), drag({ k: 0.25 })] }), state, dt: 0.005, step: 7, time: 0.035 };
}

/** Offsets of the version 2 blocks, read from the bytes as the format documents them. */
function layoutOf(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const layoutAt = 44 + pad4(view.getUint32(40, true));
  const layoutLength = view.getUint32(layoutAt, true);
  const layoutText = new TextDecoder().decode(bytes.subarray(layoutAt + 4, layoutAt + 4 + layoutLength));
  return { view, layoutAt, layoutLength, layoutText, columnsAt: layoutAt + 4 + pad4(layoutLength) };
}

/** Rewrites the checksum so a test reaches the checks behind it. */
function resign(bytes: Uint8Array): Uint8Array {
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(bytes.length - 4, crc32(bytes.subarray(0, bytes.length - 4)), true);
  return bytes;
}

function snapshotError(fn: () => unknown): SnapshotError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SnapshotError);
    return e as SnapshotError;
  }
  throw new Error('expected a SnapshotError');
}

describe('snapshot format version 2', () => {
  it('the encoder writes version 2', () => {
    expect(SNAPSHOT_VERSION).toBe(2);
    const bytes = encodeSnapshot(sample());
    expect(new DataView(bytes.buffer).getUint32(8, true)).toBe(2);
  });

  it('round-trips attributes and bonds bit for bit', () => {
    const data = sample();
    const back = decodeSnapshot(encodeSnapshot(data));
    expect(back.step).toBe(7);
    expect(back.time).toBe(0.035);
    expect(back.dt).toBe(0.005);
    expect(back.system).toEqual(data.system);
    expect(back.state.count).toBe(4);
    for (const c of ['px', 'py', 'pz', 'vx', 'vy', 'vz', 'mass', 'radius'] as const) {
      expect(bits(back.state.column(c)), c).toEqual(bits(data.state.column(c)));
    }
    expect(back.state.attributeNames).toEqual(['q', 'sigma', 'epsilon']);
    for (const name of data.state.attributeNames) {
      expect(bits(back.state.attribute(name)), name).toEqual(bits(data.state.attribute(name)));
    }
    expect(Object.is(back.state.attribute('q')[0], -0)).toBe(true);
    expect(back.state.attribute('q')[1]).toBe(Math.fround(1e-45));
    expect(back.state.bondGroups).toEqual(['backbone', 'cross', 'none']);
    for (const group of data.state.bondGroups) {
      const a = data.state.bonds(group)!;
      const b = back.state.bonds(group)!;
      expect(b.count, group).toBe(a.count);
      expect([...b.i], group).toEqual([...a.i]);
      expect([...b.j], group).toEqual([...a.j]);
      expect(Object.keys(b.params), group).toEqual(Object.keys(a.params));
      for (const name of Object.keys(a.params)) expect(bits(b.params[name]), `${group}.${name}`).toEqual(bits(a.params[name]));
    }
    expect([...back.state.bonds('backbone')!.i]).toEqual([0, 1, 2, 0]);
    expect([...back.state.bonds('backbone')!.j]).toEqual([1, 2, 3, 1]);
    expect(Object.is(back.state.bonds('backbone')!.params.k[2], -0)).toBe(true);
    // Encoding the decoded data gives the same bytes.
    expect(encodeSnapshot(back)).toEqual(encodeSnapshot(data));
  });

  it('lays the blocks out as documented', () => {
    const data = sample();
    const bytes = encodeSnapshot(data);
    const { view, layoutText, columnsAt } = layoutOf(bytes);
    expect(JSON.parse(layoutText)).toEqual({
      attributes: ['q', 'sigma', 'epsilon'],
      bonds: [
        { group: 'backbone', count: 4, params: ['k', 'r0'] },
        { group: 'cross', count: 1, params: [] },
        { group: 'none', count: 0, params: ['k'] },
      ],
    });
    const n = 4;
    const sigmaAt = columnsAt + (8 + 1) * n * 4;
    expect(view.getFloat32(sigmaAt, true)).toBe(Math.fround(1 / 3));
    const bondsAt = columnsAt + (8 + 3) * n * 4;
    expect([0, 1, 2, 3].map((b) => view.getInt32(bondsAt + 4 * b, true))).toEqual([0, 1, 2, 0]); // backbone i
    expect(view.getFloat32(bondsAt + 8 * 4 + 4 * 4, true)).toBe(1); // backbone r0[0], after i, j, k
    expect(bytes.length).toBe(bondsAt + 4 * 4 * 4 + 2 * 4 + 4);
  });

  it('round-trips a state without attributes or bonds, and an empty state', () => {
    const plain = { ...sample(), state: ParticleState.from({ position: [[1, 2, 3]], mass: 2 }) };
    const back = decodeSnapshot(encodeSnapshot(plain));
    expect(back.state.attributeNames).toEqual([]);
    expect(back.state.bondGroups).toEqual([]);
    expect(back.state.get(0)).toEqual(plain.state.get(0));
    const empty = { ...sample(), state: ParticleState.create(0, { attributes: ['q'] }) };
    const none = decodeSnapshot(encodeSnapshot(empty));
    expect(none.state.count).toBe(0);
    expect(none.state.attributeNames).toEqual(['q']);
  });

  it('reads a version 1 snapshot (no attributes, no bonds)', () => {
    const bytes = Uint8Array.from(Buffer.from(V1_FIXTURE, 'base64'));
    expect(new DataView(bytes.buffer).getUint32(8, true)).toBe(1);
    const back = decodeSnapshot(bytes);
    expect(back.step).toBe(42);
    expect(back.time).toBe(0.42);
    expect(back.dt).toBe(0.01);
    expect(back.system.rules.map((r) => r.kind)).toEqual(['uniformGravity', 'drag']);
    expect(back.state.count).toBe(3);
    expect([...back.state.px]).toEqual([1, 0.1, -4].map(Math.fround));
    expect([...back.state.pz]).toEqual([3, 1e-7, 6.25].map(Math.fround));
    expect([...back.state.vz]).toEqual([6, 9, 0.3].map(Math.fround));
    expect([...back.state.mass]).toEqual([1, 2.5, 0.125]);
    expect([...back.state.radius]).toEqual([0, 0.25, 1]);
    expect(back.state.attributeNames).toEqual([]);
    expect(back.state.bondGroups).toEqual([]);
    // Version 1 checks stay as strict.
    for (const at of [8 + 4, 50, bytes.length - 20, bytes.length - 1]) {
      const bad = bytes.slice();
      bad[at] ^= 0x01;
      expect(() => decodeSnapshot(bad), `byte ${at}`).toThrow(SnapshotError);
    }
    expect(() => decodeSnapshot(bytes.subarray(0, bytes.length - 4))).toThrow(/truncated/);
    const hugeJSON = bytes.slice();
    new DataView(hugeJSON.buffer).setUint32(40, 0xffffffff, true);
    expect(() => decodeSnapshot(resign(hugeJSON))).toThrow(/truncated/);
  });

  it('rejects every single flipped byte', () => {
    const bytes = encodeSnapshot(sample());
    for (let i = 0; i < bytes.length; i++) {
      const bad = bytes.slice();
      bad[i] ^= 0x04;
      expect(() => decodeSnapshot(bad), `byte ${i}`).toThrow(SnapshotError);
    }
  });

  it('rejects truncation at every length and trailing bytes', () => {
    const bytes = encodeSnapshot(sample());
    for (let n = 0; n < bytes.length; n++) {
      const error = snapshotError(() => decodeSnapshot(bytes.slice(0, n)));
      expect(error.message, `length ${n}`).toMatch(/truncated|corrupt/);
    }
    const longer = new Uint8Array(bytes.length + 8);
    longer.set(bytes);
    expect(snapshotError(() => decodeSnapshot(longer)).message).toMatch(/trailing|corrupt/);
  });

  it('rejects content that passes the checksum but is invalid', () => {
    const base = encodeSnapshot(sample());
    const { layoutAt, layoutText, columnsAt } = layoutOf(base);
    const n = 4;
    const bondsAt = columnsAt + (8 + 3) * n * 4;
    const edit = (fn: (view: DataView, bytes: Uint8Array) => void) => {
      const bytes = base.slice();
      fn(new DataView(bytes.buffer), bytes);
      return resign(bytes);
    };
    const withLayout = (text: string) =>
      edit((_view, bytes) => {
        expect(text.length).toBe(layoutText.length); // same length keeps the offsets
        bytes.set(new TextEncoder().encode(text), layoutAt + 4);
      });

    expect(snapshotError(() => decodeSnapshot(edit((v) => v.setInt32(bondsAt, 9, true)))).message).toMatch(/invalid bonds/);
    expect(snapshotError(() => decodeSnapshot(edit((v) => v.setInt32(bondsAt, -1, true)))).message).toMatch(/invalid bonds/);
    expect(snapshotError(() => decodeSnapshot(edit((v) => v.setInt32(bondsAt, 1, true)))).message).toMatch(/itself/); // i = j = 1
    expect(snapshotError(() => decodeSnapshot(edit((v) => v.setFloat32(bondsAt + 8 * 4, NaN, true)))).message).toMatch(/invalid bonds/);
    expect(snapshotError(() => decodeSnapshot(edit((v) => v.setFloat32(columnsAt + 8 * n * 4 + 8, Infinity, true)))).message).toMatch(
      /state\.attributes\.q\[2\]/,
    );
    // A reserved attribute name, a duplicate group, a bad group name, a broken layout.
    expect(snapshotError(() => decodeSnapshot(withLayout(layoutText.replace('"q"', '"m"')))).message).toMatch(/attribute/);
    expect(snapshotError(() => decodeSnapshot(withLayout(layoutText.replace('"cross"', '"none" ')))).message).toMatch(/corrupt layout/);
    expect(snapshotError(() => decodeSnapshot(withLayout(layoutText.replace('"cross"', '"cr-ss"')))).message).toMatch(/invalid bonds/);
    expect(snapshotError(() => decodeSnapshot(withLayout(layoutText.replace('{', '[')))).message).toMatch(/corrupt layout/);
    expect(snapshotError(() => decodeSnapshot(withLayout(layoutText.replace('"sigma"', '"q"    ')))).message).toMatch(/duplicate/);
    // A layout whose counts disagree with the data length.
    expect(snapshotError(() => decodeSnapshot(withLayout(layoutText.replace('"count":4', '"count":5')))).message).toMatch(/truncated/);
    expect(snapshotError(() => decodeSnapshot(withLayout(layoutText.replace('"count":4', '"count":3')))).message).toMatch(/trailing/);
    expect(snapshotError(() => decodeSnapshot(withLayout(layoutText.replace('"count":4', '"count":-4'.slice(0, 9))))).message).toMatch(
      /corrupt layout/,
    );
    // A huge layout length.
    expect(() => decodeSnapshot(edit((v) => v.setUint32(layoutAt, 0xfffffff0, true)))).toThrow(/truncated/);
  });
});
