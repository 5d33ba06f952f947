import { digitAt, MORTON_BITS, MortonScratch, mortonOrder } from './morton.js';

/** Most particles a leaf holds (docs/physics.md "Gravity by tree", step 3). */
export const LEAF_SIZE = 8;

/**
 * Float64 values per node, interleaved so that the walk reads one node from one place:
 * centre of mass, mass, longest box edge squared, box min and max, second moment P (xx xy xz yy
 * yz zz) and its trace.
 */
export const NODE_STRIDE = 18;
export const N_CX = 0,
  N_CY = 1,
  N_CZ = 2,
  N_M = 3,
  N_S2 = 4,
  N_MINX = 5,
  N_MINY = 6,
  N_MINZ = 7,
  N_MAXX = 8,
  N_MAXY = 9,
  N_MAXZ = 10,
  N_PXX = 11,
  N_PXY = 12,
  N_PXZ = 13,
  N_PYY = 14,
  N_PYZ = 15,
  N_PZZ = 16,
  N_TR = 17;

/**
 * A Barnes–Hut octree over Morton-sorted particles, in typed arrays only (no object per node).
 * Nodes are numbered depth-first; `skip[n]` is the first node after n's subtree (so the walk
 * needs no stack), a leaf has `count[n] > 0` particles from slot `first[n]`, an internal node has
 * `count[n] = 0` and its children at n + 1, skip[n + 1], … up to skip[n]. Every node has at least
 * two children or is a leaf, so there are at most 2N − 1 nodes.
 */
export class GravityTree {
  count = 0;
  nodes = 0;
  /** order[slot] = particle index, slots in (key, index) order. */
  order: Int32Array = new Int32Array(0);
  /** x y z m per slot (float64 copies of the float32 state). */
  body = new Float64Array(0);
  node = new Float64Array(0);
  skip = new Int32Array(0);
  first = new Int32Array(0);
  size = new Int32Array(0);
  #keys = new Uint32Array(0);
  readonly #morton = new MortonScratch();

  #ensure(n: number): void {
    if (this.body.length < 4 * n) {
      const cap = Math.max(n, Math.ceil(this.body.length / 4) * 1.5) | 0;
      this.body = new Float64Array(4 * cap);
      this.#keys = new Uint32Array(3 * cap);
    }
    const nodes = Math.max(1, 2 * n - 1);
    if (this.skip.length < nodes) {
      const cap = Math.max(nodes, Math.ceil(this.skip.length * 1.5));
      this.node = new Float64Array(NODE_STRIDE * cap);
      this.skip = new Int32Array(cap);
      this.first = new Int32Array(cap);
      this.size = new Int32Array(cap);
    }
  }

  /** Rebuilds the tree from the first n particles' positions and masses. */
  build(px: Float32Array, py: Float32Array, pz: Float32Array, mass: Float32Array, n: number): void {
    this.#ensure(n);
    this.count = n;
    this.nodes = 0;
    if (n === 0) return;
    const order = mortonOrder(px, py, pz, n, this.#morton);
    this.order = order;
    const from = this.#morton.keys;
    const keys = this.#keys;
    const body = this.body;
    for (let s = 0; s < n; s++) {
      const i = order[s];
      keys[3 * s] = from[3 * i];
      keys[3 * s + 1] = from[3 * i + 1];
      keys[3 * s + 2] = from[3 * i + 2];
      body[4 * s] = px[i];
      body[4 * s + 1] = py[i];
      body[4 * s + 2] = pz[i];
      body[4 * s + 3] = mass[i];
    }
    this.#cell(0, n, 0);
    for (let k = this.nodes - 1; k >= 0; k--) {
      if (this.size[k] > 0) this.#leafMoments(k);
      else this.#internalMoments(k);
    }
  }

  /**
   * Adds the node of slots a..b−1 whose keys agree above `level`, then its subtree. Levels at
   * which all its particles share the digit are passed over (one-child cells are no nodes).
   */
  #cell(a: number, b: number, level: number): void {
    const id = this.nodes++;
    const keys = this.#keys;
    if (b - a > LEAF_SIZE) {
      // Sorted: every key of the range has the same digit iff the first and the last do.
      while (level < MORTON_BITS && digitAt(keys, 3 * a, level) === digitAt(keys, 3 * (b - 1), level)) level++;
    }
    if (b - a <= LEAF_SIZE || level === MORTON_BITS) {
      this.first[id] = a;
      this.size[id] = b - a;
      this.skip[id] = this.nodes;
      return;
    }
    this.size[id] = 0;
    this.first[id] = a;
    let s = a;
    while (s < b) {
      const d = digitAt(keys, 3 * s, level);
      let e = s + 1;
      while (e < b && digitAt(keys, 3 * e, level) === d) e++;
      this.#cell(s, e, level + 1);
      s = e;
    }
    this.skip[id] = this.nodes;
  }

  #leafMoments(k: number): void {
    const body = this.body;
    const a = this.first[k];
    const b = a + this.size[k];
    let m = 0,
      sx = 0,
      sy = 0,
      sz = 0;
    let x0 = Infinity,
      y0 = Infinity,
      z0 = Infinity,
      x1 = -Infinity,
      y1 = -Infinity,
      z1 = -Infinity;
    for (let s = a; s < b; s++) {
      const x = body[4 * s],
        y = body[4 * s + 1],
        z = body[4 * s + 2],
        w = body[4 * s + 3];
      m += w;
      sx += w * x;
      sy += w * y;
      sz += w * z;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (z < z0) z0 = z;
      if (z > z1) z1 = z;
    }
    const cx = sx / m,
      cy = sy / m,
      cz = sz / m;
    let pxx = 0,
      pxy = 0,
      pxz = 0,
      pyy = 0,
      pyz = 0,
      pzz = 0;
    for (let s = a; s < b; s++) {
      const w = body[4 * s + 3];
      const dx = body[4 * s] - cx,
        dy = body[4 * s + 1] - cy,
        dz = body[4 * s + 2] - cz;
      pxx += w * dx * dx;
      pxy += w * dx * dy;
      pxz += w * dx * dz;
      pyy += w * dy * dy;
      pyz += w * dy * dz;
      pzz += w * dz * dz;
    }
    this.#store(k, cx, cy, cz, m, x0, y0, z0, x1, y1, z1, pxx, pxy, pxz, pyy, pyz, pzz);
  }

  /** From the children (already done: they come later in depth-first order), by parallel axes. */
  #internalMoments(k: number): void {
    const T = this.node;
    const skip = this.skip;
    const end = skip[k];
    let m = 0,
      sx = 0,
      sy = 0,
      sz = 0;
    let x0 = Infinity,
      y0 = Infinity,
      z0 = Infinity,
      x1 = -Infinity,
      y1 = -Infinity,
      z1 = -Infinity;
    for (let c = k + 1; c < end; c = skip[c]) {
      const o = NODE_STRIDE * c;
      const w = T[o + N_M];
      m += w;
      sx += w * T[o + N_CX];
      sy += w * T[o + N_CY];
      sz += w * T[o + N_CZ];
      x0 = Math.min(x0, T[o + N_MINX]);
      y0 = Math.min(y0, T[o + N_MINY]);
      z0 = Math.min(z0, T[o + N_MINZ]);
      x1 = Math.max(x1, T[o + N_MAXX]);
      y1 = Math.max(y1, T[o + N_MAXY]);
      z1 = Math.max(z1, T[o + N_MAXZ]);
    }
    const cx = sx / m,
      cy = sy / m,
      cz = sz / m;
    let pxx = 0,
      pxy = 0,
      pxz = 0,
      pyy = 0,
      pyz = 0,
      pzz = 0;
    for (let c = k + 1; c < end; c = skip[c]) {
      const o = NODE_STRIDE * c;
      const w = T[o + N_M];
      const dx = T[o + N_CX] - cx,
        dy = T[o + N_CY] - cy,
        dz = T[o + N_CZ] - cz;
      pxx += T[o + N_PXX] + w * dx * dx;
      pxy += T[o + N_PXY] + w * dx * dy;
      pxz += T[o + N_PXZ] + w * dx * dz;
      pyy += T[o + N_PYY] + w * dy * dy;
      pyz += T[o + N_PYZ] + w * dy * dz;
      pzz += T[o + N_PZZ] + w * dz * dz;
    }
    this.#store(k, cx, cy, cz, m, x0, y0, z0, x1, y1, z1, pxx, pxy, pxz, pyy, pyz, pzz);
  }

  #store(
    k: number,
    cx: number,
    cy: number,
    cz: number,
    m: number,
    x0: number,
    y0: number,
    z0: number,
    x1: number,
    y1: number,
    z1: number,
    pxx: number,
    pxy: number,
    pxz: number,
    pyy: number,
    pyz: number,
    pzz: number,
  ): void {
    const T = this.node;
    const o = NODE_STRIDE * k;
    const edge = Math.max(x1 - x0, y1 - y0, z1 - z0);
    T[o + N_CX] = cx;
    T[o + N_CY] = cy;
    T[o + N_CZ] = cz;
    T[o + N_M] = m;
    T[o + N_S2] = edge * edge;
    T[o + N_MINX] = x0;
    T[o + N_MINY] = y0;
    T[o + N_MINZ] = z0;
    T[o + N_MAXX] = x1;
    T[o + N_MAXY] = y1;
    T[o + N_MAXZ] = z1;
    T[o + N_PXX] = pxx;
    T[o + N_PXY] = pxy;
    T[o + N_PXZ] = pxz;
    T[o + N_PYY] = pyy;
    T[o + N_PYZ] = pyz;
    T[o + N_PZZ] = pzz;
    T[o + N_TR] = pxx + pyy + pzz;
  }
}
