/* eslint-disable no-loss-of-precision -- Cody's coefficients as published (17 digits); the doubles they round to are what every target uses. */
/**
 * erf and erfc by W. J. Cody's rational Chebyshev approximations (CALERF, Math. Comp. 23, 1969;
 * netlib specfun). One algorithm, written once here as coefficient tables and rendered three times
 * (this float64 reference, the JavaScript prelude, the WGSL prelude), so every backend computes the
 * same function. erfc is computed directly for |x| > 0.46875 (never as 1 - erf), so it keeps its
 * relative accuracy deep in the tail (erfc(5) ~ 1.5e-12).
 */

/** erf(x) = x * A(x²) / B(x²) for |x| <= 0.46875 (A has 5 terms, A[4] is the leading one). */
export const ERF_A = [3.1611237438705656, 113.86415415105016, 377.48523768530202, 3209.3775891384695, 0.18577770618460315] as const;
export const ERF_B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.2368334391706] as const;
/** erfc(y) = exp(-y²) * C(y) / D(y) for 0.46875 < y <= 4. */
export const ERF_C = [
  0.56418849698867009, 8.8831497943883759, 66.119190637141634, 298.63513819740013, 881.95222124176909, 1712.0476126340707,
  2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8,
] as const;
export const ERF_D = [
  15.744926110709835, 117.6939508913125, 537.18110186200986, 1621.3895745666903, 3290.7992357334597, 4362.6190901432471, 3439.3676741437216,
  1230.3393548037495,
] as const;
/** erfc(y) = exp(-y²)/y * (1/sqrt(pi) - P(1/y²)/Q(1/y²)/y²) for y > 4. */
export const ERF_P = [
  0.30532663496123236, 0.36034489994980445, 0.12578172611122925, 0.016083785148742275, 6.5874916152983678e-4, 0.016315387137302097,
] as const;
export const ERF_Q = [2.5685201922898682, 1.8729528499234604, 0.52790510295142837, 0.06051834131244132, 2.3352049762686918e-3] as const;
export const ERF_THRESHOLD = 0.46875;
/** Above this erfc(y) is below the smallest float64 (Cody's XBIG); also keeps erfc(Infinity) = 0, not NaN. */
export const ERFC_ZERO_BEYOND = 26.543;
export const INV_SQRT_PI = 0.56418958354775628;

/**
 * erfc(|x|) scaled back by exp(-y²) for y > threshold. exp(-y²) is split as exp(-ys²)·exp(-(y-ys)(y+ys))
 * with ys = trunc(16y)/16, as Cody does, to avoid the cancellation of squaring y in floating point.
 */
function erfcTail(y: number): number {
  if (y >= ERFC_ZERO_BEYOND) return 0;
  let r: number;
  if (y <= 4) {
    let xnum = ERF_C[8] * y;
    let xden = y;
    for (let i = 0; i < 7; i++) {
      xnum = (xnum + ERF_C[i]!) * y;
      xden = (xden + ERF_D[i]!) * y;
    }
    r = (xnum + ERF_C[7]) / (xden + ERF_D[7]);
  } else {
    const z = 1 / (y * y);
    let xnum = ERF_P[5] * z;
    let xden = z;
    for (let i = 0; i < 4; i++) {
      xnum = (xnum + ERF_P[i]!) * z;
      xden = (xden + ERF_Q[i]!) * z;
    }
    r = (z * (xnum + ERF_P[4])) / (xden + ERF_Q[4]);
    r = (INV_SQRT_PI - r) / y;
  }
  const ys = Math.trunc(y * 16) / 16;
  const del = (y - ys) * (y + ys);
  return Math.exp(-ys * ys) * Math.exp(-del) * r;
}

function erfSmall(x: number): number {
  const z = x * x;
  let xnum = ERF_A[4] * z;
  let xden = z;
  for (let i = 0; i < 3; i++) {
    xnum = (xnum + ERF_A[i]!) * z;
    xden = (xden + ERF_B[i]!) * z;
  }
  return (x * (xnum + ERF_A[3])) / (xden + ERF_B[3]);
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const y = Math.abs(x);
  if (y <= ERF_THRESHOLD) return erfSmall(x);
  const r = 0.5 - erfcTail(y) + 0.5;
  return x < 0 ? -r : r;
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return x;
  const y = Math.abs(x);
  if (y <= ERF_THRESHOLD) return 1 - erfSmall(x);
  const r = erfcTail(y);
  return x < 0 ? 2 - r : r;
}
