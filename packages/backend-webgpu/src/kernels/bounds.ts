/**
 * bounds (docs/physics.md, "Contacts"): in the contact phase, a sphere touching a face while
 * moving outward has that velocity component reflected and scaled by e; after the drift, the
 * position is clamped into [min + r, max − r] so a particle never leaves the box.
 *
 * "Touching" is decided exactly, as the reference does by comparing x − r with min in float64
 * (exact for float32 x and r): `x ≤ min + r`. In float32 that needs care exactly at the wall,
 * where the clamp leaves particles: the clamp stores c = fl(min + r), which may lie on either side
 * of the real min + r. For x ≠ c the float32 comparison with c already gives the exact answer (c
 * is within half a spacing of min + r, x a whole spacing away); for x = c the answer is the sign
 * of the rounding error of c, recovered exactly by TwoSum. (A plain float32 x − r ≤ min would
 * reflect a clamped particle that the reference leaves moving outward, and the two would part
 * ways at the first wall contact.) Box corners are float32 on the GPU.
 */
export const BOUNDS_WGSL = /* wgsl */ `
// The exact error of s = fl(a + b): a + b = s + twoSumError(a, b, s) (Knuth's TwoSum; the
// opaque() steps stop the compiler from simplifying it to 0).
fn twoSumError(a: f32, b: f32, s: f32) -> f32 {
  let bv = opaque(opaque(s) - a);
  return (a - (s - bv)) + (b - bv);
}

// x − r ≤ lo, exactly.
fn touchesMin(x: f32, r: f32, lo: f32) -> bool {
  let c = lo + r;
  if (x != c) {
    return x < c;
  }
  return twoSumError(lo, r, c) >= 0.0;
}

// x + r ≥ hi, exactly.
fn touchesMax(x: f32, r: f32, hi: f32) -> bool {
  let c = hi - r;
  if (x != c) {
    return x > c;
  }
  return twoSumError(hi, -r, c) <= 0.0;
}

fn reflectAtWalls(x: vec3f, v: vec3f, r: f32) -> vec3f {
  let lo = params.boxMin.xyz;
  let hi = params.boxMax.xyz;
  let e = params.boundsRestitution;
  var out = v;
  for (var k = 0u; k < 3u; k++) {
    if ((v[k] < 0.0 && touchesMin(x[k], r, lo[k])) || (v[k] > 0.0 && touchesMax(x[k], r, hi[k]))) {
      out[k] = -e * v[k];
    }
  }
  return out;
}

fn clampToBox(x: vec3f, r: f32) -> vec3f {
  return min(max(x, params.boxMin.xyz + vec3f(r)), params.boxMax.xyz - vec3f(r));
}
`;
