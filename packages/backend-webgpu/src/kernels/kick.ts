import { PARAMS_WGSL, SCRATCH_WGSL, STATE_WGSL, stageUniform } from './common.js';
import { LOCAL_FORCES_WGSL } from './local-forces.js';

export const KICK_WORKGROUP = 64;

/**
 * One kick `v += a·h` with `a = (g − k·v) + cached`, the cached part read from the scratch
 * columns (pairwise gravity and the position-dependent expression terms, computed from the current
 * positions or cached from the previous Verlet step). h is dt (Euler) or dt/2 (Verlet), chosen per
 * dispatch. Systems with velocity-dependent fields use their generated kick instead.
 */
export const KICK_WGSL = /* wgsl */ `
${PARAMS_WGSL}
${STATE_WGSL}
${SCRATCH_WGSL}
${LOCAL_FORCES_WGSL}
${stageUniform('KickStage', '  h: f32,')}

@compute @workgroup_size(${KICK_WORKGROUP})
fn kick(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = flatIndex(id, groups, ${KICK_WORKGROUP}u);
  if (i >= params.count) {
    return;
  }
  let v = loadVelocity(i);
  var a = localAcceleration(v);
  if (hasFlag(FLAG_CACHED)) {
    a = a + loadPairwise(i);
  }
  if (hasFlag(FLAG_CONTACTS)) {
    a = a + loadImpulse(i);
  }
  storeVelocity(i, v + a * stage.h);
}
`;
