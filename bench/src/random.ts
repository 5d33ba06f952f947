/**
 * mulberry32: a tiny 32-bit generator that C reproduces bit for bit (bench/c/common.h), so the
 * TypeScript side and the C references build identical initial states from a seed instead of
 * passing state files around. Returns uniforms in [0, 1) with 2^-32 resolution.
 */
export function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
