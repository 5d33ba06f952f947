/**
 * Seeded pseudo-random numbers, so every backend sees the same "random" configurations and a
 * failure can be reproduced from its seed.
 */

/** mulberry32: a tiny 32-bit generator with a full 2^32 period; returns numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Convenience draws on top of a [0, 1) generator. */
export class Random {
  readonly #next: () => number;
  constructor(seed: number) {
    this.#next = mulberry32(seed);
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.#next();
  }
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.#next();
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.#next() * n);
  }
  /** One element of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  /** Standard normal (Box–Muller). */
  gaussian(): number {
    const u = 1 - this.#next(); // (0, 1]: log(u) stays finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.#next());
  }
  /** A uniformly distributed point inside the ball of `radius` about the origin. */
  inBall(radius: number): [number, number, number] {
    for (;;) {
      const p: [number, number, number] = [this.uniform(-1, 1), this.uniform(-1, 1), this.uniform(-1, 1)];
      if (p[0] * p[0] + p[1] * p[1] + p[2] * p[2] <= 1) return [p[0] * radius, p[1] * radius, p[2] * radius];
    }
  }
}
