import { defineSystem, pairwiseGravity, type Integrator } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import { GravityTree, LEAF_SIZE, treeAccelerations, treePotential } from '../dist/index.js';
import { createContext, firstBitDifference, randomCloud, run } from './helpers.js';

/** The 63-bit Morton key of docs/physics.md "Gravity by tree", computed independently with BigInt. */
function mortonKeys(px: Float32Array, py: Float32Array, pz: Float32Array, n: number): bigint[] {
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  const cols = [px, py, pz];
  for (let i = 0; i < n; i++)
    for (let k = 0; k < 3; k++) {
      lo[k] = Math.min(lo[k], cols[k][i]);
      hi[k] = Math.max(hi[k], cols[k][i]);
    }
  const side = Math.max(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]) || 1;
  return Array.from({ length: n }, (_, i) => {
    const q = cols.map((c, k) => Math.min(2 ** 21 - 1, Math.floor(((c[i] - lo[k]) / side) * 2 ** 21)));
    let key = 0n;
    for (let l = 0; l < 21; l++) for (let k = 0; k < 3; k++) key = (key << 1n) | BigInt((q[k] >> (20 - l)) & 1);
    return key;
  });
}

function directAccelerations(s: ReturnType<typeof randomCloud>, eps2: number): Float64Array {
  const n = s.count;
  const a = new Float64Array(3 * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const dx = s.px[j] - s.px[i],
        dy = s.py[j] - s.py[i],
        dz = s.pz[j] - s.pz[i];
      const r2 = dx * dx + dy * dy + dz * dz + eps2;
      const w = s.mass[j] / (r2 * Math.sqrt(r2));
      a[3 * i] += dx * w;
      a[3 * i + 1] += dy * w;
      a[3 * i + 2] += dz * w;
    }
  return a;
}

describe('gravity tree: structure', () => {
  // Clumped on purpose (a dense core and outliers) and with duplicated positions (equal keys).
  const s = randomCloud(3000, 7, { extent: 1, mass: [0.5, 2] });
  for (let i = 0; i < 600; i++) {
    s.px[i] *= 0.01;
    s.py[i] *= 0.01;
    s.pz[i] *= 0.01;
  }
  for (let i = 600; i < 620; i++) {
    s.px[i] = s.px[600];
    s.py[i] = s.py[600];
    s.pz[i] = s.pz[600];
  }
  const n = s.count;
  const tree = new GravityTree();
  tree.build(s.px, s.py, s.pz, s.mass, n);

  it('orders the particles by (Morton key, index)', () => {
    const keys = mortonKeys(s.px, s.py, s.pz, n);
    const expected = Array.from({ length: n }, (_, i) => i).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b));
    expect(Array.from(tree.order.subarray(0, n))).toEqual(expected);
  });

  it('leaves hold at most LEAF_SIZE particles (unless they share a key) and cover every slot once, in depth-first order', () => {
    const keys = mortonKeys(s.px, s.py, s.pz, n);
    let next = 0;
    let leaves = 0;
    for (let k = 0; k < tree.nodes; k++) {
      expect(tree.skip[k]).toBeGreaterThan(k);
      if (tree.size[k] === 0) {
        // Internal: at least two children, their ranges contiguous within the subtree.
        let children = 0;
        for (let c = k + 1; c < tree.skip[k]; c = tree.skip[c]) children++;
        expect(children).toBeGreaterThanOrEqual(2);
        expect(children).toBeLessThanOrEqual(8);
        continue;
      }
      leaves++;
      expect(tree.first[k]).toBe(next);
      expect(tree.skip[k]).toBe(k + 1);
      const count = tree.size[k];
      if (count > LEAF_SIZE) {
        const slot = tree.first[k];
        for (let t = 1; t < count; t++) expect(keys[tree.order[slot + t]]).toBe(keys[tree.order[slot]]);
      }
      next += count;
    }
    expect(next).toBe(n);
    expect(tree.nodes).toBeLessThanOrEqual(2 * n - 1);
    expect(leaves).toBeGreaterThan(n / LEAF_SIZE);
    expect(tree.skip[0]).toBe(tree.nodes);
  });

  it('node moments equal mass, centre of mass, second moment and box of the particles below', () => {
    const below = (k: number): number[] => {
      if (tree.size[k] > 0) return Array.from(tree.order.subarray(tree.first[k], tree.first[k] + tree.size[k]));
      const out: number[] = [];
      for (let c = k + 1; c < tree.skip[k]; c = tree.skip[c]) out.push(...below(c));
      return out;
    };
    for (const k of [0, 1, 2, Math.floor(tree.nodes / 2), tree.nodes - 1]) {
      const ids = below(k);
      let m = 0;
      const c = [0, 0, 0];
      const lo = [Infinity, Infinity, Infinity];
      const hi = [-Infinity, -Infinity, -Infinity];
      for (const i of ids) {
        const x = [s.px[i], s.py[i], s.pz[i]];
        m += s.mass[i];
        for (let a = 0; a < 3; a++) {
          c[a] += s.mass[i] * x[a];
          lo[a] = Math.min(lo[a], x[a]);
          hi[a] = Math.max(hi[a], x[a]);
        }
      }
      for (let a = 0; a < 3; a++) c[a] /= m;
      const P = [0, 0, 0, 0, 0, 0];
      for (const i of ids) {
        const y = [s.px[i] - c[0], s.py[i] - c[1], s.pz[i] - c[2]];
        const w = s.mass[i];
        [y[0] * y[0], y[0] * y[1], y[0] * y[2], y[1] * y[1], y[1] * y[2], y[2] * y[2]].forEach((v, t) => (P[t] += w * v));
      }
      const T = tree.node.subarray(18 * k, 18 * k + 18);
      expect(T[3]).toBeCloseTo(m, 10);
      for (let a = 0; a < 3; a++) expect(Math.abs(T[a] - c[a])).toBeLessThan(1e-12);
      for (let a = 0; a < 3; a++) {
        expect(T[5 + a]).toBe(lo[a]);
        expect(T[8 + a]).toBe(hi[a]);
      }
      expect(T[4]).toBe(Math.max(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]) ** 2);
      const scale = P[0] + P[3] + P[5];
      for (let t = 0; t < 6; t++) expect(Math.abs(T[11 + t] - P[t])).toBeLessThanOrEqual(1e-10 * scale);
      expect(T[17]).toBeCloseTo(T[11] + T[14] + T[16], 12);
    }
  });
});

describe('gravity tree: forces and potential', () => {
  const s = randomCloud(1500, 11, { extent: 2, mass: [0.5, 2] });
  const n = s.count;
  const eps2 = 0.01;
  const tree = new GravityTree();
  tree.build(s.px, s.py, s.pz, s.mass, n);
  const direct = directAccelerations(s, eps2);

  it('with a tiny θ opens every node and equals the direct sum up to summation order', () => {
    const f = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    treeAccelerations(tree, 1.5, eps2, 1e-6, true, 0, n, f[0], f[1], f[2]);
    for (let i = 0; i < n; i++) {
      const ref = Math.hypot(direct[3 * i], direct[3 * i + 1], direct[3 * i + 2]);
      const err = Math.hypot(f[0][i] - 1.5 * direct[3 * i], f[1][i] - 1.5 * direct[3 * i + 1], f[2][i] - 1.5 * direct[3 * i + 2]);
      expect(err / (1.5 * ref)).toBeLessThan(1e-12);
    }
    let u = 0;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        const dx = s.px[j] - s.px[i],
          dy = s.py[j] - s.py[i],
          dz = s.pz[j] - s.pz[i];
        u -= (s.mass[i] * s.mass[j]) / Math.sqrt(dx * dx + dy * dy + dz * dz + eps2);
      }
    expect(Math.abs(treePotential(tree, 1, eps2, 1e-6) - u) / Math.abs(u)).toBeLessThan(1e-12);
  });

  it('quadrupoles make the error fall faster than θ² (monopole order) as θ shrinks', () => {
    const median = (theta: number) => {
      const f = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
      treeAccelerations(tree, 1, eps2, theta, true, 0, n, f[0], f[1], f[2]);
      const e = Array.from({ length: n }, (_, i) => {
        const d = [direct[3 * i], direct[3 * i + 1], direct[3 * i + 2]];
        return Math.hypot(f[0][i] - d[0], f[1][i] - d[1], f[2][i] - d[2]) / Math.hypot(...d);
      }).sort((a, b) => a - b);
      return e[n >> 1];
    };
    const coarse = median(0.8);
    const fine = median(0.4);
    expect(fine).toBeGreaterThan(0);
    // Monopoles alone would give a ratio near 2² = 4; the quadrupole's error is third order.
    expect(coarse / fine).toBeGreaterThan(6);
    expect(median(0.5)).toBeLessThan(1e-2);
  });

  it('any split of the slots gives the same bits as one walk over all', () => {
    const whole = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    const parts = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    treeAccelerations(tree, 1, eps2, 0.5, true, 0, n, whole[0], whole[1], whole[2]);
    for (const [lo, hi] of [
      [0, 517],
      [517, 518],
      [518, n],
    ])
      treeAccelerations(tree, 1, eps2, 0.5, true, lo, hi, parts[0], parts[1], parts[2]);
    for (let k = 0; k < 3; k++) expect(Buffer.from(parts[k].buffer).equals(Buffer.from(whole[k].buffer))).toBe(true);
  });
});

describe('gravity tree on the ts backend', () => {
  const cloud = () => randomCloud(700, 23, { extent: 3, speed: 0.3, mass: [0.5, 2] });

  for (const integrator of ['euler', 'verlet'] as Integrator[]) {
    it(`${integrator}: 2 and 3 threads equal 1 thread bitwise, and runs repeat exactly`, async () => {
      const system = defineSystem({ integrator, rules: [pairwiseGravity({ softening: 0.05, method: 'tree' })] });
      const start = cloud();
      const single = await run(system, start, 12, { dt: 0.01 });
      expect(firstBitDifference(await run(system, start, 12, { dt: 0.01 }), single)).toBeNull();
      for (const threads of [2, 3]) expect(firstBitDifference(await run(system, start, 12, { dt: 0.01, threads }), single)).toBeNull();
      // Not the direct sum (the tree is an approximation) ...
      const direct = await run(defineSystem({ integrator, rules: [pairwiseGravity({ softening: 0.05, method: 'direct' })] }), start, 12, {
        dt: 0.01,
      });
      expect(firstBitDifference(direct, single)).not.toBeNull();
    }, 60_000);
  }

  it("verlet: a run split into calls equals one call (the cached tree forces), 'auto' switches by count", async () => {
    const system = defineSystem({ integrator: 'verlet', rules: [pairwiseGravity({ softening: 0.05, method: 'tree' })] });
    const start = cloud();
    const once = await run(system, start, 10, { dt: 0.01 });
    const split = start.clone({ shared: false });
    const ctx = await createContext(system, split, { dt: 0.01 });
    ctx.step(4);
    ctx.step(6);
    await ctx.dispose();
    expect(firstBitDifference(split, once)).toBeNull();
    // Below GRAVITY_TREE_MIN_COUNT 'auto' is the direct sum, bit for bit.
    const auto = await run(defineSystem({ integrator: 'verlet', rules: [pairwiseGravity({ softening: 0.05 })] }), start, 10, { dt: 0.01 });
    const direct = await run(
      defineSystem({ integrator: 'verlet', rules: [pairwiseGravity({ softening: 0.05, method: 'direct' })] }),
      start,
      10,
      {
        dt: 0.01,
      },
    );
    expect(firstBitDifference(auto, direct)).toBeNull();
  }, 60_000);

  it("diagnostics report the tree's potential, close to the all-pairs reference", async () => {
    const start = cloud();
    const system = defineSystem({ rules: [pairwiseGravity({ softening: 0.05, method: 'tree', theta: 0.5 })] });
    const ctx = await createContext(system, start.clone({ shared: false }), { dt: 0.01 });
    const d = ctx.diagnostics();
    const tree = new GravityTree();
    tree.build(start.px, start.py, start.pz, start.mass, start.count);
    expect(d.potential).toBe(treePotential(tree, 1, 0.0025, 0.5));
    const directSystem = defineSystem({ rules: [pairwiseGravity({ softening: 0.05, method: 'direct' })] });
    const reference = (await createContext(directSystem, start.clone({ shared: false }), { dt: 0.01 })).diagnostics().potential;
    expect(d.potential).not.toBe(reference);
    expect(Math.abs(d.potential - reference) / Math.abs(reference)).toBeLessThan(1e-3);
    await ctx.dispose();
  });
});
