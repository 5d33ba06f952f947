/**
 * drag: `a −= k·v`, with v as it is when the forces are evaluated. Several drag rules add up to
 * one coefficient (params.drag).
 */
export const DRAG_WGSL = /* wgsl */ `
fn dragAcceleration(v: vec3f) -> vec3f {
  return -params.drag * v;
}
`;
