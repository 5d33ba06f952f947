import { ValidationError } from './errors.js';

/**
 * Inputs that every backend stores or multiplies in float32: checked so that no value the caller
 * gives is silently lost in the conversion (rounded to 0, to infinity, or onto its neighbour).
 */

/** Largest finite float32. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Bounds of `dt`: 2^-63 ≤ dt ≤ FLOAT32_MAX. Backends multiply by dt (kick a·dt, drift v·dt) and,
 * in effect, by dt² (a kick's share of the next drift; Verlet's ½·a·dt²) in float32. From 2^-63
 * up, dt and dt² are normal float32 numbers; below, dt² is subnormal or 0 (flushed to 0 on SIMD
 * and GPU backends) and a dt like 1e-50 is 0 itself, so nothing would move, silently. At the top,
 * dt itself must be a finite float32; a product that overflows later becomes infinite, which every
 * backend reports as a divergence (SimulationDivergedError), so it is never silent.
 */
export const MIN_DT = 2 ** -63;
export const MAX_DT = FLOAT32_MAX;

/** `dt`: a finite number in [MIN_DT, MAX_DT]. */
export function checkDtRange(dt: unknown): number {
  if (typeof dt !== 'number' || !Number.isFinite(dt) || dt <= 0) {
    throw new ValidationError('dt', `${String(dt)} must be a finite number > 0`);
  }
  if (dt < MIN_DT || dt > MAX_DT) {
    throw new ValidationError(
      'dt',
      dt < MIN_DT
        ? `${dt} is below 2^-63 (≈ 1.08e-19): backends step in float32, where dt and dt² must be normal numbers; a smaller dt rounds the motion of a step to nothing`
        : `${dt} is beyond the float32 range (${FLOAT32_MAX}), in which backends step`,
    );
  }
  return dt;
}

/**
 * A box `min < max` on every axis as float32 stores it: each bound finite in float32 and the two
 * distinct after rounding (1 and 1 + 1e-12 are the same float32), and, for a periodic box, its
 * length finite in float32. `rule` names the field (e.g. `bounds`).
 */
export function checkFloat32Box(rule: string, min: readonly number[], max: readonly number[], periodic = false): void {
  for (let k = 0; k < 3; k++) {
    for (const [side, v] of [
      ['min', min[k]],
      ['max', max[k]],
    ] as const) {
      if (!(Math.abs(v) <= FLOAT32_MAX))
        throw new ValidationError(`${rule}.${side}[${k}]`, `${v} is beyond the float32 range (±${FLOAT32_MAX})`);
    }
    const lo = Math.fround(min[k]);
    const hi = Math.fround(max[k]);
    if (!(lo < hi)) {
      throw new ValidationError(
        `${rule}.max[${k}]`,
        min[k] < max[k]
          ? `${max[k]} must exceed min ${min[k]} in float32, where backends store them (both round to ${hi})`
          : `${max[k]} must exceed min ${min[k]}`,
      );
    }
    if (periodic && !Number.isFinite(Math.fround(hi - lo))) {
      throw new ValidationError(`${rule}.max[${k}]`, `the box length ${max[k]} − ${min[k]} overflows float32`);
    }
  }
}
