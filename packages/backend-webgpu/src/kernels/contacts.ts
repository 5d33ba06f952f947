import { PARAMS_WGSL, SCRATCH_WGSL, STATE_WGSL, stageUniform } from './common.js';
import { GRID_INFO_WGSL } from './grid-common.js';

export const CONTACTS_WORKGROUP = 64;

/**
 * Soft-sphere contacts (docs/physics.md, "Soft-sphere contacts"), on the collision grid: each
 * particle sums the forces of its own contacts over the 3×3×3 cells around its own, reading the
 * cell-order records `gatherContactRecords` writes from the current positions and velocities
 * (x y z r vx vy vz m, in the records' place of the scratch buffer), and stores its contact acceleration in the contact scratch columns, which the kick
 * (kick.ts) adds. No atomics: no two invocations write one value. Computed in f32 (the other
 * backends use float64), within the agreement tolerance of the conformance suite.
 *
 * `contactPotential` writes each particle's share of the elastic energy, ½·Σ_j E_ij, for the
 * diagnostics reduction (the first potential share, or added to those before it).
 */
export const CONTACTS_WGSL = /* wgsl */ `
${PARAMS_WGSL}
${STATE_WGSL}
${SCRATCH_WGSL}
${GRID_INFO_WGSL}
${stageUniform('ContactStage', '  first: u32,')}
@group(0) @binding(5) var<storage, read_write> cells: array<u32>;
@group(0) @binding(6) var<storage, read_write> particleCells: array<u32>;

// Copies every particle into its cell-order record (after the cells are sorted): position, radius,
// velocity (as the force evaluation begins) and mass.
@compute @workgroup_size(${CONTACTS_WORKGROUP})
fn gatherContactRecords(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let slot = flatIndex(id, groups, ${CONTACTS_WORKGROUP}u);
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

struct ContactSum {
  force: vec3f,
  energy: f32,
}

// Σ over the touching neighbours of the particle in grid slot \`slot\` of the contact force on it
// (F_n = w·(k·δ − c·u) along −n) and of the pair energies.
fn contactSum(slot: u32) -> ContactSum {
  var sum = ContactSum(vec3f(0.0), 0.0);
  if (gridCellCount() == 0u) {
    return sum;
  }
  let own = cellOrderRecord(slot);
  let xi = vec3f(scratch[own], scratch[own + 1u], scratch[own + 2u]);
  let ri = scratch[own + 3u];
  let vi = vec3f(scratch[own + 4u], scratch[own + 5u], scratch[own + 6u]);
  let mi = scratch[own + 7u];
  let k = params.contactStiffness;
  let hertz = params.contactHertz != 0u;
  let dims = gridDims();
  let c = cellCoordinates(xi);
  let sz = neighbourSpan(c.z, dims.z);
  let sy = neighbourSpan(c.y, dims.y);
  let runs = rowRuns(neighbourSpan(c.x, dims.x), dims.x);
  for (var kz = 0u; kz < sz.y; kz++) {
    let z = (sz.x + kz) % dims.z;
    for (var ky = 0u; ky < sy.y; ky++) {
      let y = (sy.x + ky) % dims.y;
      let row = params.cellEntries + dims.x * (y + dims.y * z);
      for (var run = 0u; run < 2u; run++) {
        let sliceStart = cells[row + select(runs.x, runs.z, run == 1u)];
        let sliceEnd = cells[row + select(runs.y, runs.w, run == 1u)];
        for (var q = sliceStart; q < sliceEnd; q++) {
          let other = cellOrderRecord(q);
          let d = vec3f(scratch[other], scratch[other + 1u], scratch[other + 2u]) - xi;
          let d2 = d.x * d.x + d.y * d.y + d.z * d.z;
          let rj = scratch[other + 3u];
          let reach = ri + rj;
          if (q != slot && d2 < reach * reach && d2 > 0.0) {
            let r = sqrt(d2);
            let n = d / r;
            let delta = reach - r;
            let u = dot(vec3f(scratch[other + 4u], scratch[other + 5u], scratch[other + 6u]) - vi, n);
            let mj = scratch[other + 7u];
            let meff = (mi * mj) / (mi + mj);
            let damping = params.contactGamma * meff + params.contactBeta * sqrt(k * meff);
            let reff = (ri * rj) / reach;
            let w = select(1.0, sqrt(delta * reff), hertz);
            sum.force = sum.force - (w * (k * delta - damping * u)) * n;
            sum.energy = sum.energy + select(0.5 * k * delta * delta, 0.4 * k * sqrt(reff) * delta * delta * sqrt(delta), hertz);
          }
        }
      }
    }
  }
  return sum;
}

@compute @workgroup_size(${CONTACTS_WORKGROUP})
fn contactForces(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let slot = flatIndex(id, groups, ${CONTACTS_WORKGROUP}u);
  if (slot >= params.count) {
    return;
  }
  let i = select(slot, particleCells[slot], gridCellCount() != 0u);
  let sum = contactSum(slot);
  storeImpulse(i, sum.force / massOf(i));
}

@compute @workgroup_size(${CONTACTS_WORKGROUP})
fn contactPotential(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let slot = flatIndex(id, groups, ${CONTACTS_WORKGROUP}u);
  if (slot >= params.count) {
    return;
  }
  let i = select(slot, particleCells[slot], gridCellCount() != 0u);
  let e = 0.5 * contactSum(slot).energy;
  if (stage.first != 0u) {
    storePotentialShare(i, e);
  } else {
    storePotentialShare(i, loadPotentialShare(i) + e);
  }
}
`;
