import type { ParticleState } from '@brokenrecord/core';

/**
 * The approximation the GPU tree computes, in float64 on the CPU, written the plain way: an
 * octree over the same 30-bit Morton cells (keys quantised exactly as kernels/tree-morton.ts does,
 * in float32), leaves of one particle, the opening criterion and softened monopole + quadrupole of
 * docs/physics.md. Agreement with it to float32 rounding says the GPU's sort, radix tree, cell
 * marks, moments and walk are right; agreement of both with the direct sum is the shared
 * conformance suite's business.
 */
export interface TreeForces {
  acceleration: [Float64Array, Float64Array, Float64Array];
  potential: Float64Array;
}

interface Cell {
  first: number;
  last: number;
  mass: number;
  centre: [number, number, number];
  /** Pxx Pyy Pzz Pxy Pxz Pyz about the centre. */
  second: number[];
  lo: [number, number, number];
  hi: [number, number, number];
  children: Cell[];
}

const f = Math.fround;

function spread(v: number): number {
  let key = 0;
  for (let b = 0; b < 10; b++) key += ((v >> b) & 1) * 2 ** (3 * b);
  return key;
}

/** The GPU's keys: q = min(1023, floor((x − min)/L·1024)) in float32 arithmetic, interleaved x y z. */
export function mortonKeys(state: ParticleState): Float64Array {
  const n = state.count;
  const columns = [state.px, state.py, state.pz];
  const lo = columns.map((c) => c.subarray(0, n).reduce((a, b) => Math.min(a, b), Infinity));
  const hi = columns.map((c) => c.subarray(0, n).reduce((a, b) => Math.max(a, b), -Infinity));
  let side = f(Math.max(...hi.map((h, k) => f(h - lo[k]))));
  if (!(side > 0)) side = 1;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const q = columns.map((c, k) => Math.min(1023, Math.floor(f(f(f(c[i] - lo[k]) / side) * 1024))));
    keys[i] = spread(q[0]) * 4 + spread(q[1]) * 2 + spread(q[2]);
  }
  return keys;
}

export function referenceTree(state: ParticleState, options: { G: number; softening: number; theta: number }): TreeForces {
  const n = state.count;
  const keys = mortonKeys(state);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
  const x = [
    Float64Array.from(order, (i) => state.px[i]),
    Float64Array.from(order, (i) => state.py[i]),
    Float64Array.from(order, (i) => state.pz[i]),
  ];
  const m = Float64Array.from(order, (i) => state.mass[i]);
  const sortedKeys = Float64Array.from(order, (i) => keys[i]);

  const cell = (first: number, last: number, depth: number): Cell => {
    let mass = 0;
    const centre: [number, number, number] = [0, 0, 0];
    const lo: [number, number, number] = [Infinity, Infinity, Infinity];
    const hi: [number, number, number] = [-Infinity, -Infinity, -Infinity];
    for (let k = first; k <= last; k++) {
      mass += m[k];
      for (let a = 0; a < 3; a++) {
        centre[a] += m[k] * x[a][k];
        lo[a] = Math.min(lo[a], x[a][k]);
        hi[a] = Math.max(hi[a], x[a][k]);
      }
    }
    for (let a = 0; a < 3; a++) centre[a] /= mass;
    const second = [0, 0, 0, 0, 0, 0];
    for (let k = first; k <= last; k++) {
      const y = [x[0][k] - centre[0], x[1][k] - centre[1], x[2][k] - centre[2]];
      second[0] += m[k] * y[0] * y[0];
      second[1] += m[k] * y[1] * y[1];
      second[2] += m[k] * y[2] * y[2];
      second[3] += m[k] * y[0] * y[1];
      second[4] += m[k] * y[0] * y[2];
      second[5] += m[k] * y[1] * y[2];
    }
    const children: Cell[] = [];
    if (first < last) {
      if (depth === 10) {
        // Particles of one key: each its own child (the walk then meets them one by one).
        for (let k = first; k <= last; k++) children.push(cell(k, k, 11));
      } else {
        const digit = (k: number) => Math.floor(sortedKeys[k] / 2 ** (3 * (9 - depth))) % 8;
        let start = first;
        for (let k = first + 1; k <= last + 1; k++) {
          if (k > last || digit(k) !== digit(start)) {
            children.push(cell(start, k - 1, depth + 1));
            start = k;
          }
        }
      }
    }
    return { first, last, mass, centre, second, lo, hi, children };
  };
  const root = cell(0, n - 1, 0);

  const { G, softening, theta } = options;
  const eps2 = softening * softening;
  const acceleration: [Float64Array, Float64Array, Float64Array] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const potential = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const xi = [x[0][k], x[1][k], x[2][k]];
    const a = [0, 0, 0];
    let phi = 0;
    const stack = [root];
    while (stack.length) {
      const node = stack.pop()!;
      if (node.first === node.last) {
        if (node.first === k) continue;
        const j = node.first;
        const d = [x[0][j] - xi[0], x[1][j] - xi[1], x[2][j] - xi[2]];
        const r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2] + eps2;
        for (let c = 0; c < 3; c++) a[c] += (m[j] * d[c]) / (r2 * Math.sqrt(r2));
        phi -= m[j] / Math.sqrt(r2);
        continue;
      }
      const r = [xi[0] - node.centre[0], xi[1] - node.centre[1], xi[2] - node.centre[2]];
      const d2 = r[0] * r[0] + r[1] * r[1] + r[2] * r[2];
      const s = Math.max(node.hi[0] - node.lo[0], node.hi[1] - node.lo[1], node.hi[2] - node.lo[2]);
      const outside = xi.some((v, c) => v < node.lo[c] || v > node.hi[c]);
      if (outside && s < theta * Math.sqrt(d2)) {
        const [xx, yy, zz, xy, xz, yz] = node.second;
        const pr = [xx * r[0] + xy * r[1] + xz * r[2], xy * r[0] + yy * r[1] + yz * r[2], xz * r[0] + yz * r[1] + zz * r[2]];
        const rpr = r[0] * pr[0] + r[1] * pr[1] + r[2] * pr[2];
        const trace = xx + yy + zz;
        const rho2 = d2 + eps2;
        const rho = Math.sqrt(rho2);
        const [i3, i5, i7] = [rho ** -3, rho ** -5, rho ** -7];
        for (let c = 0; c < 3; c++) a[c] += -node.mass * r[c] * i3 + 3 * pr[c] * i5 - 7.5 * rpr * r[c] * i7 + 1.5 * trace * r[c] * i5;
        phi -= node.mass / rho + ((3 * rpr - rho2 * trace) / 2) * i5;
        continue;
      }
      for (const child of node.children) stack.push(child);
    }
    const i = order[k];
    for (let c = 0; c < 3; c++) acceleration[c][i] = G * a[c];
    potential[i] = G * phi;
  }
  return { acceleration, potential };
}

/** A Plummer sphere of total mass 1 (Hénon units: scale radius 3π/16), at rest, radii cut at 10 scale radii. */
export function plummerPositions(random: () => number, n: number, state: ParticleState): void {
  const scale = (3 * Math.PI) / 16;
  for (let i = 0; i < n; i++) {
    let r: number;
    do r = 1 / Math.sqrt(random() ** (-2 / 3) - 1);
    while (r > 10);
    const u = 2 * random() - 1;
    const phi = 2 * Math.PI * random();
    const s = Math.sqrt(1 - u * u);
    state.px[i] = scale * r * s * Math.cos(phi);
    state.py[i] = scale * r * s * Math.sin(phi);
    state.pz[i] = scale * r * u;
    state.mass[i] = 1 / n;
  }
}
