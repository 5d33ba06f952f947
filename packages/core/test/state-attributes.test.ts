import { describe, expect, it } from 'vitest';
import { checkState, defineSystem, findInvalidValue, ParticleState, uniformGravity, ValidationError } from '../src/index.js';

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).field;
  }
  throw new Error('expected a ValidationError');
}

const three = () =>
  ParticleState.from({
    position: [
      [0, 0, 0],
      [1, 0, 0],
      [2, 0, 0],
    ],
    mass: [1, 2, 3],
    attributes: { q: [1, -1, 0.5], sigma: new Float64Array([0.1, 0.2, 0.3]) },
  });

describe('attributes', () => {
  it('from() takes arrays, typed arrays and scalars, in declaration order', () => {
    const s = ParticleState.from({
      position: [
        [0, 0, 0],
        [1, 0, 0],
      ],
      mass: 1,
      attributes: { q: [1, 2], sigma: new Float32Array([3, 4]), eps: 0.25 },
    });
    expect(s.attributeNames).toEqual(['q', 'sigma', 'eps']);
    expect(s.attribute('q')).toBeInstanceOf(Float32Array);
    expect([...s.attribute('q')]).toEqual([1, 2]);
    expect([...s.attribute('sigma')]).toEqual([3, 4]);
    expect([...s.attribute('eps')]).toEqual([0.25, 0.25]);
    expect(s.attribute('q').length).toBe(2);
    expect(s.hasAttribute('q')).toBe(true);
    expect(s.hasAttribute('Q')).toBe(false);
    expect(s.attribute('sigma')[1]).toBe(Math.fround(4));
  });

  it('create() makes zero columns and keeps the other options', () => {
    const s = ParticleState.create(4, { attributes: ['q', 'w'], shared: true });
    expect(s.attributeNames).toEqual(['q', 'w']);
    expect([...s.attribute('q')]).toEqual([0, 0, 0, 0]);
    expect([...s.mass]).toEqual([1, 1, 1, 1]);
    expect(s.shared).toBe(true);
    expect(s.attribute('w').buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(ParticleState.create(2).attributeNames).toEqual([]);
  });

  it('unknown attribute is a ValidationError', () => {
    const s = three();
    expect(fieldOf(() => s.attribute('charge'))).toBe('state.attributes.charge');
  });

  it.each([
    ['starts with a digit', '1q'],
    ['has a dash', 'q-1'],
    ['is empty', ''],
    ['is a column', 'mass'],
    ['is a column (px)', 'px'],
    ['is the radius column', 'radius'],
    ...['x', 'y', 'z', 'vx', 'vy', 'vz', 'm', 'r', 't'].map((n) => [`is reserved (${n})`, n]),
  ])('rejects a name that %s', (_what, name) => {
    expect(() => ParticleState.from({ position: [[0, 0, 0]], mass: 1, attributes: { [name]: [1] } })).toThrow(ValidationError);
    expect(() => ParticleState.create(1, { attributes: [name] })).toThrow(ValidationError);
    expect(() => ParticleState.create(1).addAttribute(name)).toThrow(ValidationError);
  });

  it('accepts identifier names that only look like reserved ones', () => {
    const s = ParticleState.create(1, { attributes: ['_q', 'q1', 'mass2', 'T', 'rr'] });
    expect(s.attributeNames).toEqual(['_q', 'q1', 'mass2', 'T', 'rr']);
  });

  it('rejects duplicate names in create and addAttribute', () => {
    expect(() => ParticleState.create(1, { attributes: ['q', 'q'] })).toThrow(ValidationError);
    const s = three();
    expect(fieldOf(() => s.addAttribute('q'))).toBe('state.attributes.q');
  });

  it.each([
    ['NaN', { q: [0, 0, 0, NaN] }, 'state.attributes.q[3]'],
    ['Infinity', { q: [0, 0, 0, 0], w: [0, -Infinity, 0, 0] }, 'state.attributes.w[1]'],
    ['float32 overflow', { q: [1e39, 0, 0, 0] }, 'state.attributes.q[0]'],
    ['scalar NaN', { q: NaN }, 'state.attributes.q[0]'],
    ['wrong length', { q: [1, 2] }, 'state.attributes.q'],
    ['not numbers', { q: 'abcd' }, 'state.attributes.q'],
  ])('rejects %s values with the exact field', (_what, attributes, field) => {
    const position = [
      [0, 0, 0],
      [1, 0, 0],
      [2, 0, 0],
      [3, 0, 0],
    ];
    expect(fieldOf(() => ParticleState.from({ position, mass: 1, attributes: attributes as never }))).toBe(field);
  });

  it('rejects a non-finite addAttribute fill', () => {
    expect(() => three().addAttribute('w', NaN)).toThrow(ValidationError);
    expect(() => three().addAttribute('w', 1e39)).toThrow(ValidationError);
  });

  it('findInvalidValue / checkState see values written into an attribute view', () => {
    const s = three();
    expect(findInvalidValue(s)).toBeNull();
    s.attribute('sigma')[2] = NaN;
    expect(findInvalidValue(s)?.field).toBe('state.attributes.sigma[2]');
    expect(fieldOf(() => checkState(s, defineSystem({ rules: [uniformGravity()] })))).toBe('state.attributes.sigma[2]');
  });

  it('addAttribute adds a filled column and keeps the eight columns in place', () => {
    const s = three();
    const px = s.px;
    const q = [...s.attribute('q')];
    s.addAttribute('w', 2.5);
    s.addAttribute('z0');
    expect(s.attributeNames).toEqual(['q', 'sigma', 'w', 'z0']);
    expect([...s.attribute('w')]).toEqual([2.5, 2.5, 2.5]);
    expect([...s.attribute('z0')]).toEqual([0, 0, 0]);
    expect([...s.attribute('q')]).toEqual(q);
    expect(s.px).toBe(px);
  });

  it('attributeNames is a snapshot that later additions do not change', () => {
    const s = three();
    const before = s.attributeNames;
    s.addAttribute('w');
    expect(before).toEqual(['q', 'sigma']);
    expect(Object.isFrozen(before)).toBe(true);
  });

  it('add() appends attribute values, defaults missing ones to 0, rejects unknown ones', () => {
    const s = three();
    const first = s.add({
      position: [
        [5, 0, 0],
        [6, 0, 0],
      ],
      mass: 1,
      attributes: { q: [7, 8] },
    });
    expect(first).toBe(3);
    expect([...s.attribute('q')]).toEqual([1, -1, 0.5, 7, 8]);
    expect([...s.attribute('sigma')]).toEqual([0.1, 0.2, 0.3, 0, 0].map(Math.fround));
    s.add({ position: [[9, 0, 0]], mass: 1, attributes: { sigma: 4 } });
    expect([...s.attribute('q')]).toEqual([1, -1, 0.5, 7, 8, 0]);
    expect(s.attribute('sigma')[5]).toBe(4);
    const count = s.count;
    expect(fieldOf(() => s.add({ position: [[0, 0, 0]], mass: 1, attributes: { charge: 1 } }))).toBe('state.attributes.charge');
    expect(s.count).toBe(count);
  });

  it('add() writes zeros over the values removed particles left in storage', () => {
    const s = three();
    s.remove([1, 2]);
    s.add({
      position: [
        [5, 0, 0],
        [6, 0, 0],
      ],
      mass: 1,
    });
    expect([...s.attribute('q')]).toEqual([1, 0, 0]);
    expect([...s.attribute('sigma')]).toEqual([Math.fround(0.1), 0, 0]);
  });

  it('growth keeps attribute values', () => {
    const s = ParticleState.from({ position: [[0, 0, 0]], mass: 1, attributes: { q: [0.5] } });
    const capacities = new Set<number>();
    for (let k = 1; k <= 200; k++) {
      s.add({ position: [[k, 0, 0]], mass: 1, attributes: { q: k + 0.5 } });
      capacities.add(s.capacity);
    }
    expect(capacities.size).toBeGreaterThan(3);
    expect(s.count).toBe(201);
    expect(s.attribute('q').length).toBe(201);
    for (let k = 0; k <= 200; k++) expect(s.attribute('q')[k]).toBe(k + 0.5);
    s.reserve(5000);
    expect(s.attribute('q')[200]).toBe(200.5);
    expect(s.attribute('q').length).toBe(201);
  });

  it('remove() compacts attributes with the particles', () => {
    const s = ParticleState.from({
      position: [0, 1, 2, 3, 4].map((x) => [x, 0, 0]),
      mass: 1,
      attributes: { q: [10, 11, 12, 13, 14], w: [0, -1, -2, -3, -4] },
    });
    s.remove([3, 0, 0]);
    expect([...s.px]).toEqual([1, 2, 4]);
    expect([...s.attribute('q')]).toEqual([11, 12, 14]);
    expect([...s.attribute('w')]).toEqual([-1, -2, -4]);
  });

  it('clone() copies attributes deeply', () => {
    const s = three();
    const c = s.clone();
    expect(c.attributeNames).toEqual(['q', 'sigma']);
    expect([...c.attribute('q')]).toEqual([...s.attribute('q')]);
    c.attribute('q')[0] = 99;
    expect(s.attribute('q')[0]).toBe(1);
    expect(c.attribute('q').buffer).not.toBe(s.attribute('q').buffer);
    const shared = s.clone({ shared: true });
    expect(shared.attribute('sigma').buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([...shared.attribute('sigma')]).toEqual([...s.attribute('sigma')]);
  });

  it('copyFrom() takes the source attribute set', () => {
    const target = ParticleState.create(5, { attributes: ['old', 'q'] });
    target.attribute('q').fill(9);
    const source = three();
    target.copyFrom(source);
    expect(target.count).toBe(3);
    expect(target.attributeNames).toEqual(['q', 'sigma']);
    expect(target.hasAttribute('old')).toBe(false);
    expect([...target.attribute('q')]).toEqual([1, -1, 0.5]);
    expect([...target.attribute('sigma')]).toEqual([...source.attribute('sigma')]);
    target.copyFrom(ParticleState.create(2));
    expect(target.attributeNames).toEqual([]);
    expect(() => target.attribute('q')).toThrow(ValidationError);
    // Same set: values are overwritten in place.
    const a = three();
    const b = three();
    b.attribute('q')[1] = 42;
    const view = a.attribute('q');
    a.copyFrom(b);
    expect(a.attribute('q')[1]).toBe(42);
    expect(view[1]).toBe(42);
  });

  it('copyFrom() into a smaller state grows it and keeps the source values', () => {
    const big = ParticleState.from({
      position: Array.from({ length: 50 }, (_, k) => [k, 0, 0]),
      mass: 1,
      attributes: { q: Array.from({ length: 50 }, (_, k) => k) },
    });
    const small = ParticleState.create(1, { attributes: ['q'] });
    small.copyFrom(big);
    expect(small.count).toBe(50);
    expect([...small.attribute('q')]).toEqual(Array.from({ length: 50 }, (_, k) => k));
  });

  it('share() moves attributes into SharedArrayBuffer storage, keeping values', () => {
    const s = three();
    expect(s.attribute('q').buffer).toBeInstanceOf(ArrayBuffer);
    s.share();
    expect(s.attribute('q').buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(s.attribute('sigma').buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([...s.attribute('q')]).toEqual([1, -1, 0.5]);
    s.addAttribute('w', 3);
    expect(s.attribute('w').buffer).toBeInstanceOf(SharedArrayBuffer);
    s.add({ position: Array.from({ length: 20 }, () => [0, 0, 0]), mass: 1 });
    expect(s.attribute('q').buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(s.attribute('q')[2]).toBe(0.5);
  });

  it('get() and toJSON() carry attributes only when the state has some', () => {
    const s = three();
    expect(s.get(1)).toEqual({
      position: [1, 0, 0],
      velocity: [0, 0, 0],
      mass: 2,
      radius: 0,
      attributes: { q: -1, sigma: Math.fround(0.2) },
    });
    expect(s.toJSON()).toHaveLength(3);
    expect(s.toJSON()[2].attributes).toEqual({ q: 0.5, sigma: Math.fround(0.3) });
    expect('attributes' in ParticleState.create(1).get(0)).toBe(false);
  });
});
