/**
 * Morton order of the particles (docs/physics.md "Gravity by tree", steps 1–2): positions
 * quantised to 21 bits per axis inside the bounding cube, interleaved into a 63-bit key held as
 * three 21-bit words (levels 0–6, 7–13, 14–20; x the most significant axis of each triple), and a
 * stable LSD radix sort by (key, index) in six passes of 11 and 10 bits.
 */

/** Bits per axis: 21 levels below the root. */
export const MORTON_BITS = 21;
/** Levels per key word. */
export const LEVELS_PER_WORD = 7;
const QMAX = 2 ** MORTON_BITS - 1;
const SCALE = 2 ** MORTON_BITS;

/** SPREAD[v] places bit b of a 7-bit v at bit 3b. */
const SPREAD = new Uint32Array(128);
for (let v = 0; v < 128; v++) {
  let s = 0;
  for (let b = 0; b < 7; b++) s |= ((v >> b) & 1) << (3 * b);
  SPREAD[v] = s;
}

/** The three key words of quantised coordinates, word w covering levels 7w … 7w + 6. */
function word(qx: number, qy: number, qz: number, w: number): number {
  const shift = MORTON_BITS - LEVELS_PER_WORD * (w + 1);
  return (SPREAD[(qx >> shift) & 127] << 2) | (SPREAD[(qy >> shift) & 127] << 1) | SPREAD[(qz >> shift) & 127];
}

/** Reusable scratch for sorting n particles. */
export class MortonScratch {
  keys: Uint32Array = new Uint32Array(0); // 3 words per particle, by particle index
  order: Int32Array = new Int32Array(0);
  spare: Int32Array = new Int32Array(0);
  readonly counts = new Int32Array(2048);

  ensure(n: number): void {
    if (this.order.length >= n) return;
    const cap = Math.max(n, Math.ceil(this.order.length * 1.5));
    this.keys = new Uint32Array(3 * cap);
    this.order = new Int32Array(cap);
    this.spare = new Int32Array(cap);
  }
}

/**
 * Fills `scratch.keys` with each particle's key words and returns the permutation sorting the
 * particles by (key, index): `order[slot]` = particle index. The bounding cube is computed from
 * the float32 positions exactly (min and max), its side L = the largest extent (1 when 0).
 */
export function mortonOrder(px: Float32Array, py: Float32Array, pz: Float32Array, n: number, scratch: MortonScratch): Int32Array {
  scratch.ensure(n);
  let x0 = Infinity,
    y0 = Infinity,
    z0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity,
    z1 = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = px[i],
      y = py[i],
      z = pz[i];
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
    if (z < z0) z0 = z;
    if (z > z1) z1 = z;
  }
  let side = Math.max(x1 - x0, y1 - y0, z1 - z0);
  if (!(side > 0)) side = 1;
  const keys = scratch.keys;
  for (let i = 0; i < n; i++) {
    const qx = Math.min(QMAX, Math.floor(((px[i] - x0) / side) * SCALE));
    const qy = Math.min(QMAX, Math.floor(((py[i] - y0) / side) * SCALE));
    const qz = Math.min(QMAX, Math.floor(((pz[i] - z0) / side) * SCALE));
    keys[3 * i] = word(qx, qy, qz, 0);
    keys[3 * i + 1] = word(qx, qy, qz, 1);
    keys[3 * i + 2] = word(qx, qy, qz, 2);
  }
  let from = scratch.order;
  let to = scratch.spare;
  for (let i = 0; i < n; i++) from[i] = i;
  // Least significant digit first; each pass is stable, so ties keep index order.
  for (let w = 2; w >= 0; w--) {
    for (const [shift, bits] of [
      [0, 11],
      [11, 10],
    ] as const) {
      radixPass(keys, w, shift, bits, from, to, n, scratch.counts);
      const t = from;
      from = to;
      to = t;
    }
  }
  // Six passes: the result is back in scratch.order.
  return from;
}

function radixPass(
  keys: Uint32Array,
  w: number,
  shift: number,
  bits: number,
  from: Int32Array,
  to: Int32Array,
  n: number,
  counts: Int32Array,
): void {
  const mask = (1 << bits) - 1;
  counts.fill(0, 0, mask + 1);
  for (let s = 0; s < n; s++) counts[(keys[3 * from[s] + w] >>> shift) & mask]++;
  let sum = 0;
  for (let d = 0; d <= mask; d++) {
    const c = counts[d];
    counts[d] = sum;
    sum += c;
  }
  for (let s = 0; s < n; s++) {
    const i = from[s];
    to[counts[(keys[3 * i + w] >>> shift) & mask]++] = i;
  }
}

/** The octant digit of key words `k` (offset of a particle's three words) at `level` (0 … 20). */
export function digitAt(keys: Uint32Array, k: number, level: number): number {
  const w = (level / LEVELS_PER_WORD) | 0;
  const p = level - LEVELS_PER_WORD * w;
  return (keys[k + w] >>> (3 * (LEVELS_PER_WORD - 1 - p))) & 7;
}
