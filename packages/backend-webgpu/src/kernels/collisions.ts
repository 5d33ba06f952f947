import { PARAMS_WGSL, SCRATCH_WGSL, STATE_WGSL } from './common.js';
import { GRID_INFO_WGSL } from './grid-common.js';

export const COLLISIONS_WORKGROUP = 64;

/**
 * collisions, Jacobi-style (docs/physics.md, "Contacts"): each particle sums the velocity change
 * of all its contacts, computed from the velocities as they were when the contact phase began,
 * into the contact scratch columns; drift.ts adds them. Every pair is evaluated from both sides
 * with the same arithmetic up to sign, so both get the same J and the kernel needs no atomics.
 *
 * Candidates come from the 3×3×3 cells around the particle's own (grid-*.ts); each row of three
 * cells is one contiguous slice of `order`. The contact test is the brute-force one:
 * |d|² < (r_i + r_j)² and |d|² > 0.
 */
export const COLLISIONS_WGSL = /* wgsl */ `
${PARAMS_WGSL}
${STATE_WGSL}
${SCRATCH_WGSL}
${GRID_INFO_WGSL}
@group(0) @binding(5) var<storage, read_write> cells: array<u32>;
@group(0) @binding(6) var<storage, read_write> particleCells: array<u32>;

@compute @workgroup_size(${COLLISIONS_WORKGROUP})
fn collisionImpulses(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = flatIndex(id, groups, ${COLLISIONS_WORKGROUP}u);
  if (i >= params.count) {
    return;
  }
  var dv = vec3f(0.0);
  if (gridCellCount() > 0u) {
    let xi = loadPosition(i);
    let vi = loadVelocity(i);
    let ri = radiusOf(i);
    let mi = massOf(i);
    let inverseMi = 1.0 / mi;
    let bounce = 1.0 + params.collisionRestitution;
    let dims = gridDims();
    let c = cellCoordinates(xi);
    let lo = vec3u(select(c - vec3u(1u), vec3u(0u), c == vec3u(0u)));
    let hi = min(c + vec3u(1u), dims - vec3u(1u));
    for (var z = lo.z; z <= hi.z; z++) {
      for (var y = lo.y; y <= hi.y; y++) {
        let row = dims.x * (y + dims.y * z);
        let sliceStart = cells[params.cellEntries + row + lo.x];
        let sliceEnd = cells[params.cellEntries + row + hi.x + 1u];
        for (var k = sliceStart; k < sliceEnd; k++) {
          let j = particleCells[k];
          if (j == i) {
            continue;
          }
          let d = loadPosition(j) - xi;
          let d2 = d.x * d.x + d.y * d.y + d.z * d.z;
          let reach = ri + radiusOf(j);
          if (!(d2 < reach * reach && d2 > 0.0)) {
            continue;
          }
          let n = d / sqrt(d2);
          let u = dot(loadVelocity(j) - vi, n);
          if (u < 0.0) {
            let J = (-bounce * u) / (inverseMi + 1.0 / massOf(j));
            dv = dv - (J * n) / mi;
          }
        }
      }
    }
  }
  storeImpulse(i, dv);
}
`;
