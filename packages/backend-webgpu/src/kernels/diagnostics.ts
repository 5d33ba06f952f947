import { PARAMS_WGSL, SCRATCH_WGSL, STATE_WGSL } from './common.js';

export const DIAGNOSTICS_WORKGROUP = 256;

/**
 * The quantities each workgroup reduces, in the order of its output row. The uniform-gravity
 * potential needs no column of its own: it is −g·Σ m x, formed on the host from the m·x sums.
 */
export const DIAGNOSTIC_TERMS = [
  'mass',
  'momentumX',
  'momentumY',
  'momentumZ',
  'massMomentX',
  'massMomentY',
  'massMomentZ',
  'angularX',
  'angularY',
  'angularZ',
  'kinetic',
  'sharedPotential',
] as const;

/**
 * Diagnostics, reduced on the GPU as far as the per-workgroup partial sums: every invocation forms
 * its particle's terms (m, m·v, m·x, m·x×v, ½m|v|², its share of the potential energies:
 * half of each pairwise gravity pair from pairwise-gravity.ts, and what the generated kernels of
 * expression rules assign it: its external energy, the pairs and bonds it is first in), and each workgroup adds them up in a float32 tree (256 → 1, eight
 * levels). The host adds the partial rows in float64 (../diagnostics.ts).
 *
 * Why not a float32 tree all the way: conformance wants diagnostics within a few units of float32
 * rounding of the terms' magnitudes (2(k−1)·u for k terms). A full-depth float32 tree over N
 * particles errs by ~log2(N)·u; with per-workgroup rows finished in float64 the float32 part stays
 * at eight levels whatever N is, and the readback is only N/256 rows of 12 floats.
 */
export const DIAGNOSTICS_WGSL = /* wgsl */ `
${PARAMS_WGSL}
${STATE_WGSL}
${SCRATCH_WGSL}
@group(0) @binding(8) var<storage, read_write> partials: array<f32>;

const BLOCK = ${DIAGNOSTICS_WORKGROUP}u;
const TERMS = ${DIAGNOSTIC_TERMS.length}u;
var<workgroup> lanes: array<f32, BLOCK>;

@compute @workgroup_size(BLOCK)
fn reduceDiagnostics(
  @builtin(global_invocation_id) id: vec3u,
  @builtin(workgroup_id) wid: vec3u,
  @builtin(local_invocation_index) lane: u32,
  @builtin(num_workgroups) groups: vec3u,
) {
  let i = flatIndex(id, groups, BLOCK);
  var terms: array<f32, TERMS>;
  if (i < params.count) {
    let m = massOf(i);
    let x = loadPosition(i);
    let v = loadVelocity(i);
    let p = m * v;
    let moment = m * x;
    let angular = m * cross(x, v);
    terms = array<f32, TERMS>(
      m, p.x, p.y, p.z, moment.x, moment.y, moment.z, angular.x, angular.y, angular.z,
      0.5 * m * dot(v, v),
      select(0.0, loadPotentialShare(i), hasFlag(FLAG_POTENTIAL)),
    );
  }
  let row = (wid.x + wid.y * groups.x) * TERMS;
  for (var q = 0u; q < TERMS; q++) {
    lanes[lane] = terms[q];
    workgroupBarrier();
    for (var width = BLOCK / 2u; width > 0u; width = width >> 1u) {
      if (lane < width) {
        lanes[lane] = lanes[lane] + lanes[lane + width];
      }
      workgroupBarrier();
    }
    if (lane == 0u) {
      partials[row + q] = lanes[0];
    }
    workgroupBarrier();
  }
}
`;
