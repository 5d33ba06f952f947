import { PARAMS_WGSL, STATE_WGSL } from './common.js';

export const NON_FINITE_WORKGROUP = 64;

/** What the result word holds when every particle is finite (no index can reach it). */
export const NO_NON_FINITE = 0xffffffff;

/**
 * The first particle whose position or velocity is not finite: every invocation whose particle has
 * a NaN or an infinity offers its index to an atomicMin on one word, which the host set to
 * NO_NON_FINITE beforehand and reads back alone (4 bytes instead of the whole state).
 *
 * WGSL has no isNan/isInf, and a compiler allowed to assume finite floats may fold `x != x` away,
 * so the test looks at the bits: NaN and ±∞ are exactly the floats whose exponent bits are all
 * ones. The word borrows the diagnostics partials buffer (binding 8), which is free outside
 * diagnostics(): the shared bind group layout already uses WebGPU's default eight storage buffers.
 */
export const NON_FINITE_WGSL = /* wgsl */ `
${PARAMS_WGSL}
${STATE_WGSL}
@group(0) @binding(8) var<storage, read_write> firstBad: array<atomic<u32>>;

const BLOCK = ${NON_FINITE_WORKGROUP}u;
const EXPONENT = 0x7f800000u;

fn anyNonFinite(x: vec3f) -> bool {
  return any((bitcast<vec3u>(x) & vec3u(EXPONENT)) == vec3u(EXPONENT));
}

@compute @workgroup_size(BLOCK)
fn firstNonFinite(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = flatIndex(id, groups, BLOCK);
  if (i >= params.count) {
    return;
  }
  if (anyNonFinite(loadPosition(i)) || anyNonFinite(loadVelocity(i))) {
    atomicMin(&firstBad[0], i);
  }
}
`;
