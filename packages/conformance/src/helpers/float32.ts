/**
 * Float32 facts the tolerances are derived from. The state is float32; backends may compute in
 * float32 (native, GPU) or wider (TypeScript computes in float64 and rounds when it stores), so a
 * tolerance must allow the rounding of the narrowest one: every float32 operation or store is
 * exact up to a relative error of the unit roundoff U (half an ulp).
 */

/** Unit roundoff of float32: |fl(x) − x| ≤ U·|x| for every rounded result. */
export const U = 2 ** -24;

/** Largest finite float32 (3.4028234663852886e38). */
export const FLT_MAX = (2 - 2 ** -23) * 2 ** 127;

/** The value as float32 would store it. */
export const f32 = Math.fround;

/**
 * Worst-case accumulated rounding after `n` steps of a kick-drift scheme under a constant
 * acceleration (free fall, projectile), per component:
 *
 * - each velocity update `v += a·dt` rounds the product and the sum, and a backend may hold `a`
 *   and `dt` as float32 (one more rounding each): at most `ulps·U·(|v| + |a·dt|)` per step;
 * - each position update `x += v·dt` likewise errs by at most `ulps·U·(|x| + |v·dt|)` per step;
 * - a velocity error made at step k is carried into every later drift: the errors of steps
 *   1..n contribute `dt·Σ_k (velocity error after k steps) ≤ dt·n(n+1)/2 · ulps·U·(vMax + |a|dt)`.
 *
 * Summing the worst case of every step (coherent, not a random walk) gives a bound that is linear
 * in `n` for velocities and quadratic only through the velocity term for positions, so it stays a
 * small multiple of what the arithmetic can actually lose rather than an arbitrary loose number.
 * `ulps` counts the roundings per update (4 covers product, sum and float32 constants, and the
 * two half kicks of Verlet).
 */
export function kickDriftTolerance(args: { n: number; dt: number; xMax: number; vMax: number; aMax: number; ulps?: number }): {
  position: number;
  velocity: number;
} {
  const { n, dt, xMax, vMax, aMax } = args;
  const c = (args.ulps ?? 4) * U;
  const velocityPerStep = c * (vMax + aMax * dt);
  const velocity = n * velocityPerStep;
  const position = n * c * (xMax + vMax * dt) + dt * ((n * (n + 1)) / 2) * velocityPerStep;
  return { position, velocity };
}
