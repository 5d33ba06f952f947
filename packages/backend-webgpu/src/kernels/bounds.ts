/**
 * bounds (docs/physics.md, "Contacts"): the walls of a sphere of radius r are the float32 limits
 * lo = fl(min + r) and hi = fl(max − r) (f32 addition is correctly rounded in WGSL, as in every
 * backend). In the contact phase a component moving outward at or beyond its wall is reflected and
 * scaled by e; after the drift the position is clamped into [lo, hi]. Both use the same limits, so
 * a clamped particle always counts as touching and is reflected at the next step. A NaN position
 * is never clamped into a finite one.
 */
export const BOUNDS_WGSL = /* wgsl */ `
fn reflectAtWalls(x: vec3f, v: vec3f, r: f32) -> vec3f {
  let lo = params.boxMin.xyz + vec3f(r);
  let hi = params.boxMax.xyz - vec3f(r);
  let e = params.boundsRestitution;
  var out = v;
  for (var k = 0u; k < 3u; k++) {
    if ((v[k] < 0.0 && x[k] <= lo[k]) || (v[k] > 0.0 && x[k] >= hi[k])) {
      out[k] = -e * v[k];
    }
  }
  return out;
}

fn clampToBox(x: vec3f, r: f32) -> vec3f {
  let clamped = min(max(x, params.boxMin.xyz + vec3f(r)), params.boxMax.xyz - vec3f(r));
  // min/max may return the other operand for a NaN: a NaN position stays NaN, so the divergence
  // scan reports it as on every backend (docs/physics.md). Tested on the bits, which no
  // fast-math assumption can fold away.
  let b = bitcast<vec3u>(x);
  let nan = ((b & vec3u(0x7f800000u)) == vec3u(0x7f800000u)) & ((b & vec3u(0x007fffffu)) != vec3u(0u));
  return select(clamped, x, nan);
}
`;
