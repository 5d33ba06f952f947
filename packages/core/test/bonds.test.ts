import { describe, expect, it } from 'vitest';
import { ParticleState, ValidationError } from '../src/index.js';

const chain = (n: number) => ParticleState.from({ position: Array.from({ length: n }, (_, k) => [k, 0, 0]), mass: 1 });

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).field;
  }
  throw new Error('expected a ValidationError');
}

const pairsOf = (s: ParticleState, group: string) => {
  const t = s.bonds(group)!;
  return Array.from({ length: t.count }, (_, b) => [t.i[b], t.j[b]]);
};

describe('bonds', () => {
  it('sets groups from nested or flat pairs with per-bond parameters', () => {
    const s = chain(4);
    s.setBonds(
      'backbone',
      [
        [0, 1],
        [1, 2],
        [2, 3],
      ],
      { k: [100, 200, 300], r0: new Float64Array([1, 1.5, 2]) },
    );
    s.setBonds('cross', new Int32Array([0, 2, 1, 3]));
    expect(s.bondGroups).toEqual(['backbone', 'cross']);
    const t = s.bonds('backbone')!;
    expect(t.count).toBe(3);
    expect(t.i).toBeInstanceOf(Int32Array);
    expect([...t.i]).toEqual([0, 1, 2]);
    expect([...t.j]).toEqual([1, 2, 3]);
    expect(Object.keys(t.params)).toEqual(['k', 'r0']);
    expect(t.params.k).toBeInstanceOf(Float32Array);
    expect([...t.params.r0]).toEqual([1, 1.5, 2]);
    expect(pairsOf(s, 'cross')).toEqual([
      [0, 2],
      [1, 3],
    ]);
    expect(s.bonds('cross')!.params).toEqual({});
    expect(s.bonds('missing')).toBeUndefined();
  });

  it('keeps duplicate bonds and empty groups', () => {
    const s = chain(3);
    s.setBonds('b', [
      [0, 1],
      [0, 1],
      [1, 0],
    ]);
    expect(pairsOf(s, 'b')).toEqual([
      [0, 1],
      [0, 1],
      [1, 0],
    ]);
    s.setBonds('empty', []);
    expect(s.bonds('empty')!.count).toBe(0);
  });

  it('setBonds replaces a group in place; deleteBonds removes it', () => {
    const s = chain(3);
    s.setBonds('a', [[0, 1]]);
    s.setBonds('b', [[1, 2]]);
    s.setBonds('a', [[0, 2]], { k: [5] });
    expect(s.bondGroups).toEqual(['a', 'b']);
    expect(pairsOf(s, 'a')).toEqual([[0, 2]]);
    expect(s.deleteBonds('a')).toBe(true);
    expect(s.deleteBonds('a')).toBe(false);
    expect(s.bondGroups).toEqual(['b']);
    expect(s.bonds('a')).toBeUndefined();
  });

  it('copies the inputs rather than keeping them', () => {
    const s = chain(3);
    const flat = [0, 1, 1, 2];
    const k = [1, 2];
    s.setBonds('b', flat, { k });
    flat[0] = 2;
    k[0] = 9;
    expect(pairsOf(s, 'b')).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(s.bonds('b')!.params.k[0]).toBe(1);
  });

  it.each([
    ['index out of range', [[0, 3]], {}, 'state.bonds.g[0]'],
    [
      'negative index',
      [
        [0, 1],
        [-1, 2],
      ],
      {},
      'state.bonds.g[1]',
    ],
    ['non-integer index', [[0, 1.5]], {}, 'state.bonds.g[0]'],
    ['NaN index', [0, NaN], {}, 'state.bonds.g[0]'],
    [
      'self bond',
      [
        [0, 1],
        [2, 2],
      ],
      {},
      'state.bonds.g[1]',
    ],
    ['odd flat length', [0, 1, 2], {}, 'state.bonds.g'],
    ['bad pair shape', [[0, 1, 2]], {}, 'state.bonds.g[0]'],
    ['not an array', 5, {}, 'state.bonds.g'],
    [
      'short perBond',
      [
        [0, 1],
        [1, 2],
      ],
      { k: [1] },
      'state.bonds.g.perBond.k',
    ],
    ['long perBond', [[0, 1]], { k: [1, 2] }, 'state.bonds.g.perBond.k'],
    [
      'NaN perBond',
      [
        [0, 1],
        [1, 2],
      ],
      { k: [1, NaN] },
      'state.bonds.g.perBond.k[1]',
    ],
    ['Infinity perBond', [[0, 1]], { k: [Infinity] }, 'state.bonds.g.perBond.k[0]'],
    ['float32 overflow perBond', [[0, 1]], { k: [1e39] }, 'state.bonds.g.perBond.k[0]'],
    ['bad perBond name', [[0, 1]], { 'k-1': [1] }, 'state.bonds.g.perBond'],
  ])('rejects %s', (_what, pairs, perBond, field) => {
    const s = chain(3);
    s.setBonds('g', [[0, 2]]);
    expect(fieldOf(() => s.setBonds('g', pairs as never, perBond as never))).toBe(field);
    expect(pairsOf(s, 'g')).toEqual([[0, 2]]); // a rejected call changes nothing
  });

  it.each(['', '1a', 'a b', 'a.b'])('rejects the group name %j', (group) => {
    expect(fieldOf(() => chain(2).setBonds(group, [[0, 1]]))).toBe('state.bonds');
  });

  it('remove() renumbers bonds and drops those touching a removed particle', () => {
    const s = chain(6);
    // 0-1 1-2 2-3 3-4 4-5 5-0 0-2 2-4 (with k = bond number, r0 = 10 + bond number)
    const pairs: [number, number][] = [
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
      [5, 0],
      [0, 2],
      [2, 4],
    ];
    s.setBonds('ring', pairs, { k: pairs.map((_, b) => b), r0: pairs.map((_, b) => 10 + b) });
    s.setBonds('other', [
      [5, 4],
      [1, 3],
    ]);
    s.remove([1, 3]);
    // survivors 0 2 4 5 → new 0 1 2 3; kept bonds: 4-5 (4), 5-0 (5), 0-2 (6), 2-4 (7)
    expect(pairsOf(s, 'ring')).toEqual([
      [2, 3],
      [3, 0],
      [0, 1],
      [1, 2],
    ]);
    expect([...s.bonds('ring')!.params.k]).toEqual([4, 5, 6, 7]);
    expect([...s.bonds('ring')!.params.r0]).toEqual([14, 15, 16, 17]);
    expect(pairsOf(s, 'other')).toEqual([[3, 2]]);
    s.remove([0, 1, 2, 3]);
    expect(s.bonds('ring')!.count).toBe(0);
    expect(s.bonds('ring')!.params.k.length).toBe(0);
    expect(s.bondGroups).toEqual(['ring', 'other']);
  });

  it('add() leaves bonds as they are and new particles can then be bonded', () => {
    const s = chain(2);
    s.setBonds('b', [[0, 1]], { k: [3] });
    s.add({ position: [[5, 0, 0]], mass: 1 });
    expect(pairsOf(s, 'b')).toEqual([[0, 1]]);
    expect(s.bonds('b')!.params.k[0]).toBe(3);
    s.setBonds('b', [
      [0, 1],
      [1, 2],
    ]);
    expect(s.bonds('b')!.count).toBe(2);
  });

  it('clone() and copyFrom() copy the tables deeply', () => {
    const s = chain(3);
    s.setBonds(
      'b',
      [
        [0, 1],
        [1, 2],
      ],
      { k: [1, 2] },
    );
    const c = s.clone();
    expect(c.bondGroups).toEqual(['b']);
    expect(pairsOf(c, 'b')).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(c.bonds('b')!.i).not.toBe(s.bonds('b')!.i);
    c.remove([0]);
    expect(pairsOf(c, 'b')).toEqual([[0, 1]]);
    expect(pairsOf(s, 'b')).toEqual([
      [0, 1],
      [1, 2],
    ]);

    const target = chain(5);
    target.setBonds('gone', [[3, 4]]);
    target.copyFrom(s);
    expect(target.bondGroups).toEqual(['b']);
    expect([...target.bonds('b')!.params.k]).toEqual([1, 2]);
    s.setBonds('b', [[0, 2]]);
    expect(pairsOf(target, 'b')).toEqual([
      [0, 1],
      [1, 2],
    ]);
  });

  it('bond tables cannot be reassigned through the returned object', () => {
    const s = chain(2);
    s.setBonds('b', [[0, 1]], { k: [1] });
    const t = s.bonds('b')!;
    expect(Object.isFrozen(t)).toBe(true);
    expect(Object.isFrozen(t.params)).toBe(true);
  });
});
