import { describe, expect, it } from 'vitest';
import { ParticleState, ValidationError } from '../src/index.js';

describe('ParticleState', () => {
  it('builds from nested arrays with defaults', () => {
    const s = ParticleState.from({
      position: [
        [1, 2, 3],
        [4, 5, 6],
      ],
      mass: [1, 2],
    });
    expect(s.count).toBe(2);
    expect([...s.px]).toEqual([1, 4]);
    expect([...s.pz]).toEqual([3, 6]);
    expect([...s.vx]).toEqual([0, 0]);
    expect([...s.radius]).toEqual([0, 0]);
    expect([...s.mass]).toEqual([1, 2]);
  });

  it('builds from flat typed arrays and scalar mass/radius', () => {
    const s = ParticleState.from({
      position: new Float32Array([0, 0, 1, 0, 0, 2]),
      velocity: new Float64Array([1, 0, 0, 1, 0, 0]),
      mass: 3,
      radius: 0.5,
    });
    expect([...s.pz]).toEqual([1, 2]);
    expect([...s.vx]).toEqual([1, 1]);
    expect([...s.mass]).toEqual([3, 3]);
    expect([...s.radius]).toEqual([0.5, 0.5]);
  });

  it.each([
    [
      'mismatched velocity',
      {
        position: [[0, 0, 0]],
        velocity: [
          [0, 0, 0],
          [1, 1, 1],
        ],
        mass: [1],
      },
      'state.velocity',
    ],
    ['mismatched mass', { position: [[0, 0, 0]], mass: [1, 2] }, 'state.mass'],
    ['flat length', { position: [0, 0], mass: [1] }, 'state.position'],
    ['bad vector', { position: [[0, 0]], mass: [1] }, 'state.position[0]'],
    ['NaN position', { position: [[0, NaN, 0]], mass: [1] }, 'state.py[0]'],
    ['Infinity velocity', { position: [[0, 0, 0]], velocity: [[0, 0, Infinity]], mass: [1] }, 'state.vz[0]'],
    ['zero mass', { position: [[0, 0, 0]], mass: [0] }, 'state.mass[0]'],
    ['negative radius', { position: [[0, 0, 0]], mass: [1], radius: [-1] }, 'state.radius[0]'],
    ['missing mass', { position: [[0, 0, 0]] }, 'state.mass'],
  ])('rejects %s', (_name, input, field) => {
    const error = (() => {
      try {
        ParticleState.from(input as never);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('VALIDATION');
    expect((error as ValidationError).field).toBe(field);
  });

  it('rejects counts beyond memory limits', () => {
    expect(() => ParticleState.create(2 ** 40)).toThrow(ValidationError);
    expect(() => ParticleState.create(-1)).toThrow(ValidationError);
  });

  it('clones deeply', () => {
    const s = ParticleState.from({ position: [[1, 2, 3]], mass: [1] });
    const c = s.clone();
    c.px[0] = 9;
    expect(s.px[0]).toBe(1);
  });

  it('adds with geometric growth and keeps existing values', () => {
    const s = ParticleState.from({ position: [[1, 1, 1]], mass: [1] });
    const capacities = new Set<number>();
    for (let i = 0; i < 100; i++) {
      const first = s.add({ position: [[i, 0, 0]], mass: [2] });
      expect(first).toBe(i + 1);
      capacities.add(s.capacity);
    }
    expect(s.count).toBe(101);
    expect(s.px[0]).toBe(1);
    expect(s.px[100]).toBe(99);
    expect(s.mass[100]).toBe(2);
    expect(capacities.size).toBeLessThan(20); // geometric, not one reallocation per add
  });

  it('removes preserving order', () => {
    const s = ParticleState.from({ position: [0, 1, 2, 3, 4].map((x) => [x, 0, 0]), mass: 1 });
    s.remove([3, 1, 1]);
    expect([...s.px]).toEqual([0, 2, 4]);
    expect(() => s.remove([7])).toThrow(ValidationError);
  });

  it('moves to shared storage in place', () => {
    const s = ParticleState.from({ position: [[1, 2, 3]], velocity: [[4, 5, 6]], mass: [7], radius: [8] });
    s.share();
    expect(s.shared).toBe(true);
    expect(s.px.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(s.get(0)).toEqual({ position: [1, 2, 3], velocity: [4, 5, 6], mass: 7, radius: 8 });
  });
});
