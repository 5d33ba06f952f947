import { describe, expect, it } from 'vitest';
import { ParticleState } from '@brokenrecord/core';
import { bruteForceContactPairs, gridContactPairs } from '../dist/index.js';
import { prng, randomCloud } from './helpers.js';

function pairsOf(s: ParticleState) {
  const grid = gridContactPairs(s.px, s.py, s.pz, s.radius, s.count);
  const brute = bruteForceContactPairs(s.px, s.py, s.pz, s.radius, s.count);
  return { grid, brute };
}

/** The next float32 above x. */
function nextFloat32(x: number): number {
  if (x === 0) return 2 ** -149;
  const f = new Float32Array([x]);
  const bits = new Int32Array(f.buffer);
  bits[0] += x > 0 ? 1 : -1;
  return f[0];
}

/** Positions on a lattice of spacing `step`, nudged by ±1 float32 ulp or not at all. */
function lattice(n: number, seed: number, step: number, sides: number, radii: number[]): ParticleState {
  const rand = prng(seed);
  const s = ParticleState.create(n);
  const nudge = (x: number) => {
    const r = rand();
    return r < 0.6 ? x : r < 0.8 ? nextFloat32(x) : -nextFloat32(-x);
  };
  for (let i = 0; i < n; i++) {
    s.px[i] = nudge(Math.floor(rand() * sides) * step);
    s.py[i] = nudge(Math.floor(rand() * sides) * step);
    s.pz[i] = nudge(Math.floor(rand() * sides) * step);
    s.radius[i] = radii[Math.floor(rand() * radii.length)];
  }
  return s;
}

describe('uniform grid broadphase = brute force', () => {
  it('agrees on random clouds of every size, mixed radii', () => {
    let total = 0;
    for (const n of [0, 1, 2, 3, 7, 50, 300, 1000, 3000]) {
      for (let seed = 1; seed <= 3; seed++) {
        const s = randomCloud(n, seed * 7919 + n, { extent: Math.cbrt(n + 1), radius: [0, 0.6] });
        const { grid, brute } = pairsOf(s);
        expect(grid).toEqual(brute);
        total += brute.length;
      }
    }
    expect(total).toBeGreaterThan(1000); // the configurations do touch
  });

  it('agrees when particles sit exactly on cell borders and at exact contact distance', () => {
    let total = 0;
    // Spacing 2·r_max puts lattice points on cell borders; mixed radii make some pairs touch exactly
    // (d = r_i + r_j is not a contact) and ulp nudges move them either side of it.
    for (const [rMax, radii] of [
      [0.5, [0.5, 0.25, 0]],
      [1, [1, 0.5, 0.75]],
      [0.375, [0.375, 0.125]],
      [3, [3, 3, 1e-3]],
    ] as Array<[number, number[]]>) {
      for (let seed = 1; seed <= 4; seed++) {
        const s = lattice(800, seed * 31 + rMax, 2 * rMax, 6, radii);
        const { grid, brute } = pairsOf(s);
        expect(grid).toEqual(brute);
        total += brute.length;
      }
      const half = lattice(800, 99, rMax, 8, radii); // half-cell spacing: many pairs per cell
      expect(pairsOf(half).grid).toEqual(pairsOf(half).brute);
    }
    expect(total).toBeGreaterThan(100);
  });

  it('agrees on pairs placed a hair inside or outside contact distance', () => {
    // Partners at (r_i + r_j)(1 ± δ), along axes and diagonals: the pairs most sensitive to a cell
    // that is too small or to a rounding slip at a cell border.
    const directions = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [1, 1, 0],
      [1, 1, 1],
      [-1, 0, 0],
      [0, -1, 1],
    ];
    for (let seed = 1; seed <= 6; seed++) {
      const rand = prng(seed * 101);
      const pairs = 1500;
      const s = ParticleState.create(2 * pairs);
      const rMax = [0.5, 1, 0.3125, 2][seed % 4];
      for (let p = 0; p < pairs; p++) {
        const a = 2 * p,
          b = a + 1;
        const ra = rand() < 0.5 ? rMax : rMax * rand();
        const rb = rand() < 0.5 ? rMax : rMax * rand();
        const d = directions[p % directions.length];
        const len = Math.hypot(d[0], d[1], d[2]);
        const dist = (ra + rb) * (1 + (rand() < 0.5 ? -1 : 1) * 2 ** -(4 + Math.floor(rand() * 20)));
        // A box of 12 cells a side keeps the grid dense (no coarsening); half the anchors sit on a
        // multiple of 2·r_max.
        const side = 12 * 2 * rMax;
        const ax = rand() < 0.5 ? Math.floor(rand() * 12) * 2 * rMax : rand() * side;
        const ay = rand() * side,
          az = rand() * side;
        s.px[a] = ax;
        s.py[a] = ay;
        s.pz[a] = az;
        s.px[b] = ax + (d[0] / len) * dist;
        s.py[b] = ay + (d[1] / len) * dist;
        s.pz[b] = az + (d[2] / len) * dist;
        s.radius[a] = ra;
        s.radius[b] = rb;
      }
      const { grid, brute } = pairsOf(s);
      expect(grid).toEqual(brute);
      expect(brute.length).toBeGreaterThan(pairs / 3);
    }
  });

  it('agrees on clustered and sparse configurations', () => {
    const clustered = randomCloud(2000, 5, { extent: 0.5, radius: [0.01, 0.2] }); // hundreds per cell
    const sparse = randomCloud(2000, 6, { extent: 1e6, radius: [0, 0.5] }); // cell count capped, h enlarged
    const blobs = randomCloud(2000, 7, { extent: 1, radius: [0.05, 0.3] });
    for (let i = 0; i < blobs.count; i += 3) blobs.px[i] += 1e5; // two distant clusters
    const outlier = randomCloud(1500, 8, { extent: 3, radius: [0.1, 0.4] });
    outlier.px[0] = 3e30; // a box so large that the cell count must be capped
    for (const s of [clustered, sparse, blobs, outlier]) {
      const { grid, brute } = pairsOf(s);
      expect(grid).toEqual(brute);
    }
    expect(pairsOf(clustered).brute.length).toBeGreaterThan(1000);
    expect(pairsOf(outlier).brute.length).toBeGreaterThan(10);
  });

  it('skips coincident particles and point particles among themselves', () => {
    const s = ParticleState.from({
      position: [
        [0, 0, 0],
        [0, 0, 0],
        [0.5, 0, 0],
        [5, 5, 5],
        [5, 5, 5],
      ],
      mass: 1,
      radius: [1, 1, 0, 0, 0],
    });
    const { grid, brute } = pairsOf(s);
    // 0–1 coincide (|d| = 0, no normal): skipped. 0–2 and 1–2: the point lies inside a sphere.
    expect(brute).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(grid).toEqual(brute);
  });

  it('survives non-finite positions (a diverging run) without hiding finite contacts', () => {
    const s = randomCloud(400, 12, { extent: 3, radius: [0.2, 0.5] });
    s.px[3] = NaN;
    s.py[7] = Infinity;
    s.pz[9] = -Infinity;
    const { grid, brute } = pairsOf(s);
    expect(grid).toEqual(brute);
    expect(brute.length).toBeGreaterThan(50);
  });

  it('finds nothing when every radius is zero', () => {
    const s = randomCloud(500, 11, { extent: 0.1 });
    expect(pairsOf(s).grid).toEqual([]);
  });
});

describe('uniform grid broadphase in a periodic box = brute force at the nearest image', () => {
  const boxOf = (min: number[], max: number[]) => {
    const lo = min.map(Math.fround) as [number, number, number];
    const hi = max.map(Math.fround) as [number, number, number];
    return { min: lo, max: hi, length: [0, 1, 2].map((k) => Math.fround(hi[k] - lo[k])) as [number, number, number] };
  };

  it('agrees on random clouds in boxes from many cells to one cell per axis, with particles outside the box', () => {
    let total = 0,
      wrapping = 0;
    const boxes = [
      boxOf([0, 0, 0], [20, 20, 20]),
      boxOf([-5, 1, 2], [5, 4, 30]), // 3 cells along y at most: wrap on a short axis
      boxOf([0, 0, 0], [2.5, 9, 1.5]), // one cell along x and z
      boxOf([-1, -1, -1], [1, 1, 1]), // one cell: every pair is a candidate
    ];
    for (const [b, box] of boxes.entries()) {
      for (let seed = 1; seed <= 3; seed++) {
        const n = [1500, 400, 300, 60][b];
        const s = randomCloud(n, seed * 13 + b, { extent: 1, radius: [0, 0.45] });
        const rand = prng(seed + 100 * b);
        for (let i = 0; i < n; i++) {
          // Inside the box, but every tenth particle one box length or two outside it.
          const out = i % 10 === 0 ? Math.floor(rand() * 5) - 2 : 0;
          s.px[i] = box.min[0] + box.length[0] * (rand() + out);
          s.py[i] = box.min[1] + box.length[1] * rand();
          s.pz[i] = box.min[2] + box.length[2] * rand();
        }
        const grid = gridContactPairs(s.px, s.py, s.pz, s.radius, n, box);
        const brute = bruteForceContactPairs(s.px, s.py, s.pz, s.radius, n, box);
        expect(grid).toEqual(brute);
        total += brute.length;
        wrapping += brute.filter(
          ([i, j]) => Math.abs(s.py[j] - s.py[i]) > box.length[1] / 2 || Math.abs(s.px[j] - s.px[i]) > box.length[0] / 2,
        ).length;
      }
    }
    expect(total).toBeGreaterThan(500);
    expect(wrapping).toBeGreaterThan(20); // pairs that touch only through a face of the box
  });

  it('finds pairs across faces, edges and corners that the unbounded grid cannot see', () => {
    const box = boxOf([0, 0, 0], [10, 10, 10]);
    const s = ParticleState.from({
      position: [
        [0.1, 5, 5],
        [9.9, 5, 5],
        [0.2, 0.2, 5],
        [9.8, 9.8, 5],
        [0.1, 0.1, 0.1],
        [9.9, 9.9, 9.9],
        [5, 5, 5],
      ],
      mass: 1,
      radius: 0.3,
    });
    const grid = gridContactPairs(s.px, s.py, s.pz, s.radius, s.count, box);
    expect(grid).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]); // across a face, an edge, a corner
    expect(bruteForceContactPairs(s.px, s.py, s.pz, s.radius, s.count, box)).toEqual(grid);
    expect(gridContactPairs(s.px, s.py, s.pz, s.radius, s.count)).toEqual([]);
  });
});
