import { DRAG_WGSL } from './drag.js';
import { UNIFORM_GRAVITY_WGSL } from './uniform-gravity.js';

/**
 * The forces that depend on one particle alone: `g − k·v`, evaluated the same way by the
 * phase-by-phase kick (kick.ts) and the fused per-particle loop (fused.ts), so that both round alike.
 * g + (−k·v) rounds exactly like the reference's g − k·v.
 */
export const LOCAL_FORCES_WGSL = /* wgsl */ `
${UNIFORM_GRAVITY_WGSL}
${DRAG_WGSL}
fn localAcceleration(v: vec3f) -> vec3f {
  return uniformGravityAcceleration() + dragAcceleration(v);
}
`;
