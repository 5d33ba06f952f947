/**
 * Elementary functions for generated expressions, written out in WGSL instead of the builtins.
 *
 * WGSL only bounds the builtins loosely: sin and cos to 2⁻¹¹ absolute on [−π, π], atan to 4096
 * ULP, exp to 3 + 2|x| ULP, and the others inherit from those. Implementations use the freedom:
 * Chromium's SwiftShader computes cos with relative errors near 2·10⁻⁴, which would make the same
 * system step differently in a browser than on lavapipe or a GPU. These are the Cephes float
 * algorithms (Cody–Waite range reduction, minimax polynomials), accurate to a few float32 ULP on
 * every implementation, since they need only + − × ÷ (correctly rounded or nearly so everywhere),
 * floor, sqrt, ldexp and frexp. Needs `params` (kernels/common.ts) for its run-time infinity.
 *
 * Valid ranges: sin, cos and tan reduce exactly enough for |x| < 8192 (beyond it the absolute
 * error grows like |x|·2⁻²⁴, as any float32 argument reduction of a float32 input does).
 */
export const PRECISE_FUNCTIONS = ['sin', 'cos', 'tan', 'exp', 'log', 'pow', 'atan', 'asin', 'acos', 'sinh', 'cosh', 'tanh'] as const;

/**
 * Routes calls of the builtins above in WGSL emitted from expression trees (core's programToWGSL,
 * which writes a call as `name(args)`) to these functions. Only text emitted from trees may be
 * passed here: its identifiers are this generator's own locals (`selfMass`, `xi.x`, `brP0_3`…),
 * temporaries and the function names, so a name followed by `(` and not preceded by an identifier
 * character or `.` is a call of that builtin.
 */
export function withPreciseFunctions(wgsl: string): string {
  return wgsl.replace(/(?<![A-Za-z0-9_.])(sin|cos|tan|exp|log|pow|atan|asin|acos|sinh|cosh|tanh)\(/g, 'br_$1(');
}

export const WGSL_MATH = /* wgsl */ `
// Infinity and NaN as run-time values: a constant expression may not evaluate to either.
fn br_inf() -> f32 {
  return bitcast<f32>(0x7f800000u | params.opaqueZero);
}
fn br_nan() -> f32 {
  return bitcast<f32>(0x7fc00000u | params.opaqueZero);
}

const BR_PI = 3.14159265358979;
const BR_PIO2 = 1.57079632679490;
const BR_PIO4 = 0.785398163397448;
const BR_FOPI = 1.27323954473516;
// π/4 in three parts, each with few enough bits that j·part is exact for |j| < 2¹⁰.
const BR_DP1 = 0.78515625;
const BR_DP2 = 2.4187564849853515625e-4;
const BR_DP3 = 3.77489497744594108e-8;

// |x| reduced by multiples of π/4: the remainder in [−π/4, π/4] and the octant (0..7).
struct BrReduced {
  y: f32,
  j: u32,
}

fn br_reduce(a: f32) -> BrReduced {
  var j = u32(floor(a * BR_FOPI));
  var k = f32(j);
  if ((j & 1u) == 1u) {
    j = j + 1u;
    k = k + 1.0;
  }
  let y = ((a - k * BR_DP1) - k * BR_DP2) - k * BR_DP3;
  return BrReduced(y, j & 7u);
}

fn br_sin_poly(y: f32) -> f32 {
  let z = y * y;
  return ((-1.9515295891e-4 * z + 8.3321608736e-3) * z - 1.6666654611e-1) * z * y + y;
}

fn br_cos_poly(y: f32) -> f32 {
  let z = y * y;
  return 1.0 - 0.5 * z + z * z * ((2.443315711809948e-5 * z - 1.388731625493765e-3) * z + 4.166664568298827e-2);
}

fn br_sin(x: f32) -> f32 {
  let r = br_reduce(abs(x));
  var j = r.j;
  var negative = x < 0.0;
  if (j > 3u) {
    negative = !negative;
    j = j - 4u;
  }
  let v = select(br_sin_poly(r.y), br_cos_poly(r.y), j == 1u || j == 2u);
  return select(v, -v, negative);
}

fn br_cos(x: f32) -> f32 {
  let r = br_reduce(abs(x));
  var j = r.j;
  var negative = false;
  if (j > 3u) {
    negative = true;
    j = j - 4u;
  }
  if (j > 1u) {
    negative = !negative;
  }
  let v = select(br_cos_poly(r.y), br_sin_poly(r.y), j == 1u || j == 2u);
  return select(v, -v, negative);
}

fn br_tan(x: f32) -> f32 {
  let r = br_reduce(abs(x));
  let z = r.y;
  let zz = z * z;
  var v = z;
  if (abs(z) > 1.0e-4) {
    v = (((((9.38540185543e-3 * zz + 3.11992232697e-3) * zz + 2.44301354525e-2) * zz + 5.34112807005e-2) * zz + 1.33387994085e-1) * zz + 3.33331568548e-1) * zz * z + z;
  }
  if ((r.j & 2u) == 2u) {
    v = -1.0 / v;
  }
  return select(v, -v, x < 0.0);
}

fn br_exp(x: f32) -> f32 {
  if (x > 88.72283905206835) {
    return br_inf();
  }
  if (x < -103.972077083991796) {
    return 0.0;
  }
  let n = floor(x * 1.44269504088896341 + 0.5);
  let r = (x - n * 0.693359375) - n * -2.12194440e-4;
  let z = r * r;
  let p = (((((1.9875691500e-4 * r + 1.3981999507e-3) * r + 8.3334519073e-3) * r + 4.1665795894e-2) * r + 1.6666665459e-1) * r + 5.0000001201e-1) * z + r + 1.0;
  // 2ⁿ in two factors, so that n down to −150 (a subnormal or zero result) does not underflow early.
  let half = i32(n) / 2;
  return ldexp(ldexp(p, half), i32(n) - half);
}

fn br_log(x: f32) -> f32 {
  if (x == 0.0) {
    return -br_inf();
  }
  if (!(x > 0.0)) {
    return br_nan();
  }
  if (x > 3.40282346e38) {
    return x;
  }
  let parts = frexp(x);
  var e = parts.exp;
  var m = parts.fract;
  if (m < 0.707106781186547524) {
    e = e - 1;
    m = m + m - 1.0;
  } else {
    m = m - 1.0;
  }
  let z = m * m;
  var y = ((((((((7.0376836292e-2 * m - 1.1514610310e-1) * m + 1.1676998740e-1) * m - 1.2420140846e-1) * m + 1.4249322787e-1) * m - 1.6668057665e-1) * m + 2.0000714765e-1) * m - 2.4999993993e-1) * m + 3.3333331174e-1) * m * z;
  let fe = f32(e);
  y = y + -2.12194440e-4 * fe;
  y = y - 0.5 * z;
  return (m + y) + 0.693359375 * fe;
}

// a^b for a non-integer (or non-constant) exponent, as JavaScript's Math.pow: a negative base
// gives a real result only for an integer exponent.
fn br_pow(a: f32, b: f32) -> f32 {
  if (b == 0.0) {
    return 1.0;
  }
  if (a == 0.0) {
    return select(br_inf(), 0.0, b > 0.0);
  }
  let m = br_exp(b * br_log(abs(a)));
  if (a > 0.0) {
    return m;
  }
  if (floor(b) != b) {
    return br_nan();
  }
  let odd = abs(b) < 16777216.0 && (i32(abs(b)) & 1) == 1;
  return select(m, -m, odd);
}

fn br_atan(x: f32) -> f32 {
  var a = abs(x);
  var base = 0.0;
  if (a > 2.414213562373095) {
    base = BR_PIO2;
    a = -1.0 / a;
  } else if (a > 0.4142135623730950) {
    base = BR_PIO4;
    a = (a - 1.0) / (a + 1.0);
  }
  let z = a * a;
  let v = base + ((((8.05374449538e-2 * z - 1.38776856032e-1) * z + 1.99777106478e-1) * z - 3.33329491539e-1) * z * a + a);
  return select(v, -v, x < 0.0);
}

fn br_asin(x: f32) -> f32 {
  let a = abs(x);
  if (a > 1.0) {
    return br_nan();
  }
  var v: f32;
  if (a > 0.5) {
    let z = 0.5 * (1.0 - a);
    let s = sqrt(z);
    let p = ((((4.2163199048e-2 * z + 2.4181311049e-2) * z + 4.5470025998e-2) * z + 7.4953002686e-2) * z + 1.6666752422e-1) * z * s + s;
    v = BR_PIO2 - (p + p);
  } else {
    let z = a * a;
    v = ((((4.2163199048e-2 * z + 2.4181311049e-2) * z + 4.5470025998e-2) * z + 7.4953002686e-2) * z + 1.6666752422e-1) * z * a + a;
  }
  return select(v, -v, x < 0.0);
}

fn br_acos(x: f32) -> f32 {
  if (x < -0.5) {
    return BR_PI - 2.0 * br_asin(sqrt(0.5 * (1.0 + x)));
  }
  if (x > 0.5) {
    return 2.0 * br_asin(sqrt(0.5 * (1.0 - x)));
  }
  return BR_PIO2 - br_asin(x);
}

fn br_sinh(x: f32) -> f32 {
  let a = abs(x);
  var v: f32;
  if (a > 1.0) {
    let z = br_exp(a);
    v = 0.5 * z - 0.5 / z;
  } else {
    let z = a * a;
    v = ((2.03721912945e-4 * z + 8.33028376239e-3) * z + 1.66667160211e-1) * z * a + a;
  }
  return select(v, -v, x < 0.0);
}

fn br_cosh(x: f32) -> f32 {
  let z = br_exp(abs(x));
  return 0.5 * z + 0.5 / z;
}

fn br_tanh(x: f32) -> f32 {
  let a = abs(x);
  var v: f32;
  if (a > 0.625) {
    v = 1.0 - 2.0 / (br_exp(a + a) + 1.0);
  } else {
    let z = a * a;
    v = ((((-5.70498872745e-3 * z + 2.06390887954e-2) * z - 5.37397155531e-2) * z + 1.33314422036e-1) * z - 3.33332819422e-1) * z * a + a;
  }
  return select(v, -v, x < 0.0);
}
`;
