import { BOUNDS_WGSL } from './bounds.js';
import { PARAMS_WGSL, SCRATCH_WGSL, STATE_WGSL } from './common.js';

export const DRIFT_WORKGROUP = 64;

/**
 * The end of the contact phase and the drift, steps 3–4 of docs/physics.md: reflect at the walls
 * (after collisions.ts resolved the collisions in the velocities themselves), `x += v·dt`, clamp into the box or wrap into the periodic box.
 */
export const DRIFT_WGSL = /* wgsl */ `
${PARAMS_WGSL}
${STATE_WGSL}
${SCRATCH_WGSL}
${BOUNDS_WGSL}

@compute @workgroup_size(${DRIFT_WORKGROUP})
fn contactsAndDrift(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = flatIndex(id, groups, ${DRIFT_WORKGROUP}u);
  if (i >= params.count) {
    return;
  }
  var v = loadVelocity(i);
  let x = loadPosition(i);
  let r = radiusOf(i);
  if (hasFlag(FLAG_BOUNDS)) {
    v = reflectAtWalls(x, v, r);
  }
  var moved = x + v * params.dt;
  if (hasFlag(FLAG_BOUNDS)) {
    moved = clampToBox(moved, r);
  }
  if (hasFlag(FLAG_PERIODIC)) {
    moved = wrapPeriodic(moved);
  }
  storeVelocity(i, v);
  storePosition(i, moved);
}
`;
