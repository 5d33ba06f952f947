/**
 * Exact discrete solutions of the integrators under a constant acceleration `a` (uniform gravity),
 * per component. They are what the recurrences of docs/physics.md give in exact arithmetic, so a
 * backend may differ from them only by float32 rounding (see kickDriftTolerance).
 */

/**
 * Semi-implicit Euler (kick, then drift with the new velocity):
 * v_n = v_0 + n·a·dt, x_n = x_0 + Σ_{k=1..n} v_k·dt = x_0 + n·v_0·dt + a·dt²·n(n+1)/2.
 */
export function eulerUnderConstantAcceleration(x0: number, v0: number, a: number, dt: number, n: number): { x: number; v: number } {
  return { x: x0 + n * v0 * dt + (a * dt * dt * n * (n + 1)) / 2, v: v0 + n * a * dt };
}

/**
 * Velocity Verlet (half kick, drift, half kick): the drift of step k uses v_{k−1} + a·dt/2, so
 * x_n = x_0 + Σ_{k=0..n−1} (v_0 + k·a·dt + a·dt/2)·dt = x_0 + n·v_0·dt + a·dt²·n²/2, v_n = v_0 + n·a·dt.
 */
export function verletUnderConstantAcceleration(x0: number, v0: number, a: number, dt: number, n: number): { x: number; v: number } {
  return { x: x0 + n * v0 * dt + (a * dt * dt * n * n) / 2, v: v0 + n * a * dt };
}

/**
 * Upper bounds of |x| and |v| along the first `n` steps (triangle inequality on the formulas above),
 * the magnitudes the rounding tolerance is proportional to.
 */
export function magnitudesAlongPath(x0: number, v0: number, a: number, dt: number, n: number): { xMax: number; vMax: number } {
  return {
    xMax: Math.abs(x0) + n * Math.abs(v0) * dt + (Math.abs(a) * dt * dt * n * (n + 1)) / 2,
    vMax: Math.abs(v0) + n * Math.abs(a) * dt,
  };
}
