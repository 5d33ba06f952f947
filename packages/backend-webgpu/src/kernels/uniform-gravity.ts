/**
 * uniformGravity: `a += g`. Several rules are summed into params.gravity on the host (in rule
 * order, as the reference backend does), so the kernels see one field vector.
 */
export const UNIFORM_GRAVITY_WGSL = /* wgsl */ `
fn uniformGravityAcceleration() -> vec3f {
  return params.gravity.xyz;
}
`;
