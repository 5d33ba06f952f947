import { PARAMS_WGSL, SCRATCH_WGSL, STATE_WGSL } from './common.js';
import { GRID_INFO_WGSL } from './grid-common.js';

export const COLLISIONS_WORKGROUP = 64;

/**
 * collisions, Jacobi-style (docs/physics.md, "Contacts"): each particle sums the velocity change
 * of all its contacts, computed from the velocities as they were when the contact phase began,
 * into the contact scratch columns; drift.ts adds them. Every pair is evaluated from both sides
 * with the same arithmetic up to sign, so both get the same J and the kernel needs no atomics.
 *
 * Candidates come from the 3×3×3 cells around the particle's own (grid-*.ts; wrapped around a
 * periodic box, where d is the nearest image); each row of three cells is one contiguous slice of
 * `order` (two where it wraps), and of the cell-order records `gatherInCellOrder`
 * writes first, so the scan reads memory in order instead of jumping between particles. The contact test is the brute-force one:
 * |d|² < (r_i + r_j)² and |d|² > 0.
 */
export const COLLISIONS_WGSL = /* wgsl */ `
${PARAMS_WGSL}
${STATE_WGSL}
${SCRATCH_WGSL}
${GRID_INFO_WGSL}
@group(0) @binding(5) var<storage, read_write> cells: array<u32>;
@group(0) @binding(6) var<storage, read_write> particleCells: array<u32>;

// Copies every particle into its cell-order record (after the cells are sorted, before the scan
// below): position, radius, velocity (as the contact phase begins), mass.
@compute @workgroup_size(${COLLISIONS_WORKGROUP})
fn gatherInCellOrder(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let slot = flatIndex(id, groups, ${COLLISIONS_WORKGROUP}u);
  if (slot >= params.count || gridCellCount() == 0u) {
    return;
  }
  let i = particleCells[slot];
  let x = loadPosition(i);
  let v = loadVelocity(i);
  let base = cellOrderRecord(slot);
  scratch[base] = x.x;
  scratch[base + 1u] = x.y;
  scratch[base + 2u] = x.z;
  scratch[base + 3u] = radiusOf(i);
  scratch[base + 4u] = v.x;
  scratch[base + 5u] = v.y;
  scratch[base + 6u] = v.z;
  scratch[base + 7u] = massOf(i);
}

@compute @workgroup_size(${COLLISIONS_WORKGROUP})
fn collisionImpulses(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let slot = flatIndex(id, groups, ${COLLISIONS_WORKGROUP}u);
  if (slot >= params.count) {
    return;
  }
  if (gridCellCount() == 0u) {
    storeImpulse(slot, vec3f(0.0));
    return;
  }
  // Invocations take particles in cell order: neighbouring invocations then scan the same cells,
  // which keeps their loops in step (SIMD lanes, warps) and their loads in cache.
  let own = cellOrderRecord(slot);
  let xi = vec3f(scratch[own], scratch[own + 1u], scratch[own + 2u]);
  let ri = scratch[own + 3u];
  let vi = vec3f(scratch[own + 4u], scratch[own + 5u], scratch[own + 6u]);
  let mi = scratch[own + 7u];
  let inverseMi = 1.0 / mi;
  let bounce = 1.0 + params.collisionRestitution;
  let dims = gridDims();
  let c = cellCoordinates(xi);
  let periodicBox = hasFlag(FLAG_PERIODIC);
  let sz = neighbourSpan(c.z, dims.z);
  let sy = neighbourSpan(c.y, dims.y);
  let runs = rowRuns(neighbourSpan(c.x, dims.x), dims.x);
  var dv = vec3f(0.0);
  for (var kz = 0u; kz < sz.y; kz++) {
    let z = (sz.x + kz) % dims.z;
    for (var ky = 0u; ky < sy.y; ky++) {
      let y = (sy.x + ky) % dims.y;
      let row = params.cellEntries + dims.x * (y + dims.y * z);
      for (var run = 0u; run < 2u; run++) {
        let sliceStart = cells[row + select(runs.x, runs.z, run == 1u)];
        let sliceEnd = cells[row + select(runs.y, runs.w, run == 1u)];
        for (var k = sliceStart; k < sliceEnd; k++) {
          // No early continue: software rasterisers run divergent lanes under masks, and an if
          // block costs them less than a continue edge.
          let other = cellOrderRecord(k);
          let xj = vec3f(scratch[other], scratch[other + 1u], scratch[other + 2u]);
          var d = xj - xi;
          if (periodicBox) {
            d = nearestImage(xj, xi);
          }
          let d2 = d.x * d.x + d.y * d.y + d.z * d.z;
          let reach = ri + scratch[other + 3u];
          if (k != slot && d2 < reach * reach && d2 > 0.0) {
            let n = d / sqrt(d2);
            let u = dot(vec3f(scratch[other + 4u], scratch[other + 5u], scratch[other + 6u]) - vi, n);
            if (u < 0.0) {
              let J = (-bounce * u) / (inverseMi + 1.0 / scratch[other + 7u]);
              dv = dv - (J * n) / mi;
            }
          }
        }
      }
    }
  }
  storeImpulse(particleCells[slot], dv);
}
`;
