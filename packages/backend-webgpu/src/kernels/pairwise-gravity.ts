import { PARAMS_WGSL, SCRATCH_WGSL, STATE_WGSL, stageUniform } from './common.js';

export const PAIRWISE_TILE = 64;

/**
 * pairwiseGravity, all pairs, tiled through workgroup memory: each workgroup loads 64 particles'
 * positions and masses at a time and every invocation sums their pull on its own particle. j runs
 * in ascending order and skips j = i (with ε = 0 that term would be 0/0), like the reference, and
 * the padding past `count` is never summed, so the result does not depend on the tiling.
 *
 * Two entry points share the tile walk:
 * - `pairwiseAcceleration`: `a_i (=|+=) G Σ_j m_j d / (|d|² + ε²)^{3/2}` into the pairwise scratch
 *   columns (the first rule overwrites, later ones add);
 * - `pairwisePotential`: particle i's half of its pair energies, `−½ G m_i Σ_j m_j / sqrt(|d|² + ε²)`,
 *   for diagnostics (the halves of both sides add up to `−G m_i m_j / sqrt(r² + ε²)` per pair).
 *
 * The invocations past `count` still load tiles and meet every barrier: barriers must be reached
 * in uniform control flow.
 */
export const PAIRWISE_GRAVITY_WGSL = /* wgsl */ `
${PARAMS_WGSL}
${STATE_WGSL}
${SCRATCH_WGSL}
${stageUniform('PairwiseStage', '  G: f32,\n  softening2: f32,\n  first: u32,')}

const TILE = ${PAIRWISE_TILE}u;
var<workgroup> tile: array<vec4f, TILE>;

fn loadTile(base: u32, lane: u32) {
  let j = base + lane;
  if (j < params.count) {
    tile[lane] = vec4f(loadPosition(j), massOf(j));
  }
}

@compute @workgroup_size(TILE)
fn pairwiseAcceleration(
  @builtin(global_invocation_id) id: vec3u,
  @builtin(local_invocation_index) lane: u32,
  @builtin(num_workgroups) groups: vec3u,
) {
  let i = flatIndex(id, groups, TILE);
  let inRange = i < params.count;
  let xi = loadPosition(min(i, params.count - 1u));
  var sum = vec3f(0.0);
  for (var base = 0u; base < params.count; base += TILE) {
    loadTile(base, lane);
    workgroupBarrier();
    if (inRange) {
      let size = min(TILE, params.count - base);
      for (var t = 0u; t < size; t++) {
        if (base + t == i) {
          continue;
        }
        let other = tile[t];
        let d = other.xyz - xi;
        let r2 = d.x * d.x + d.y * d.y + d.z * d.z + stage.softening2;
        let s = other.w / (r2 * sqrt(r2));
        sum = sum + d * s;
      }
    }
    workgroupBarrier();
  }
  if (inRange) {
    let a = stage.G * sum;
    if (stage.first != 0u) {
      storePairwise(i, a);
    } else {
      storePairwise(i, loadPairwise(i) + a);
    }
  }
}

@compute @workgroup_size(TILE)
fn pairwisePotential(
  @builtin(global_invocation_id) id: vec3u,
  @builtin(local_invocation_index) lane: u32,
  @builtin(num_workgroups) groups: vec3u,
) {
  let i = flatIndex(id, groups, TILE);
  let inRange = i < params.count;
  let xi = loadPosition(min(i, params.count - 1u));
  var sum = 0.0;
  for (var base = 0u; base < params.count; base += TILE) {
    loadTile(base, lane);
    workgroupBarrier();
    if (inRange) {
      let size = min(TILE, params.count - base);
      for (var t = 0u; t < size; t++) {
        if (base + t == i) {
          continue;
        }
        let other = tile[t];
        let d = other.xyz - xi;
        sum = sum + other.w / sqrt(d.x * d.x + d.y * d.y + d.z * d.z + stage.softening2);
      }
    }
    workgroupBarrier();
  }
  if (inRange) {
    let e = -0.5 * stage.G * massOf(i) * sum;
    if (stage.first != 0u) {
      storePotentialShare(i, e);
    } else {
      storePotentialShare(i, loadPotentialShare(i) + e);
    }
  }
}
`;
