/**
 * bounds (docs/physics.md, "Contacts"): the walls of a sphere of radius r are the float32 limits
 * lo = fl(min + r) and hi = fl(max − r) (f32 addition is correctly rounded in WGSL, as in every
 * backend). In the contact phase a component moving outward at or beyond its wall is reflected and
 * scaled by e; after the drift the position is clamped into [lo, hi]. Both use the same limits, so
 * a clamped particle always counts as touching and is reflected at the next step.
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
  return min(max(x, params.boxMin.xyz + vec3f(r)), params.boxMax.xyz - vec3f(r));
}
`;
