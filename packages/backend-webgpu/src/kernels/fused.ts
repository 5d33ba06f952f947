import { BOUNDS_WGSL } from './bounds.js';
import { PARAMS_WGSL, STATE_WGSL, stageUniform } from './common.js';
import { LOCAL_FORCES_WGSL } from './local-forces.js';

export const FUSED_WORKGROUP = 64;

/**
 * Step fusion for systems where no rule couples particles (no pairwise gravity, no collisions):
 * each invocation keeps its particle in registers and runs `stage.steps` whole steps, in the exact
 * order of docs/physics.md, then stores once. The same expressions as kick.ts and drift.ts, so a
 * fused run rounds like a phase-by-phase one.
 */
export const FUSED_WGSL = /* wgsl */ `
${PARAMS_WGSL}
${STATE_WGSL}
${LOCAL_FORCES_WGSL}
${BOUNDS_WGSL}
${stageUniform('FusedStage', '  steps: u32,')}

@compute @workgroup_size(${FUSED_WORKGROUP})
fn fusedSteps(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = flatIndex(id, groups, ${FUSED_WORKGROUP}u);
  if (i >= params.count) {
    return;
  }
  var x = loadPosition(i);
  var v = loadVelocity(i);
  let r = radiusOf(i);
  let verlet = hasFlag(FLAG_VERLET);
  let bounded = hasFlag(FLAG_BOUNDS);
  let periodicBox = hasFlag(FLAG_PERIODIC);
  let firstKick = select(params.dt, params.halfDt, verlet);
  for (var s = 0u; s < stage.steps; s++) {
    v = v + localAcceleration(v) * firstKick;
    if (bounded) {
      v = reflectAtWalls(x, v, r);
    }
    x = x + v * params.dt;
    if (bounded) {
      x = clampToBox(x, r);
    }
    if (periodicBox) {
      x = wrapPeriodic(x);
    }
    if (verlet) {
      v = v + localAcceleration(v) * params.halfDt;
    }
  }
  storePosition(i, x);
  storeVelocity(i, v);
}
`;
