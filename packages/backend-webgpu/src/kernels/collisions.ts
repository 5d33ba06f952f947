import { COLLISION_SWEEP_LIMIT } from '@brokenrecord/core';
import { PARAMS_WGSL, SCRATCH_WGSL, STATE_WGSL } from './common.js';
import { GRID_INFO_WGSL, GRID_SLOTS } from './grid-common.js';

export const COLLISIONS_WORKGROUP = 64;
/** Invocations of the one workgroup that resolves the contacts (dispatched as a single group). */
export const RESOLVE_WORKGROUP = 256;

/**
 * collisions (docs/physics.md, "Collisions"): sequential exact binary impulses over the touching
 * pairs in lexicographic (i, j) order, swept until none approaches, computed in float32 with the
 * "parallel schedule" of the document. Per particle, the pairs at i are visited in increasing
 * partner order, so "which of i's pairs has this sweep visited" is one number, done[i] (partners
 * below it), and next[i] is the smallest touching partner ≥ done[i] (a scan of the 3×3×3 cells).
 * A pair is due when each particle is the other's next: every due pair (they share no particle)
 * takes its turn at once, then only the particles that took part look for their next partner.
 * Rounds repeat until no pair is due (the sweep is over), sweeps until one applies no impulse or
 * COLLISION_SWEEP_LIMIT ran; a step whose last sweep still applied one adds 1 to the grid's
 * UNRESOLVED word. The whole phase is one workgroup with barriers between the phases.
 *
 * done, next and a "look again" flag live in the three scratch columns that held the Jacobi
 * velocity changes (free during a step; diagnostics reuse the first one afterwards).
 */
export const COLLISIONS_WGSL = /* wgsl */ `
${PARAMS_WGSL}
${STATE_WGSL}
${SCRATCH_WGSL}
${GRID_INFO_WGSL}
@group(0) @binding(5) var<storage, read_write> cells: array<u32>;
@group(0) @binding(6) var<storage, read_write> particleCells: array<u32>;

const NO_PARTNER = 0xffffffffu;

// Copies every particle into its cell-order record (after the cells are sorted): position,
// radius and its index, so a neighbour scan reads each candidate from one record.
@compute @workgroup_size(${COLLISIONS_WORKGROUP})
fn gatherInCellOrder(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let slot = flatIndex(id, groups, ${COLLISIONS_WORKGROUP}u);
  if (slot >= params.count || gridCellCount() == 0u) {
    return;
  }
  let i = particleCells[slot];
  let x = loadPosition(i);
  let base = cellOrderRecord(slot);
  scratch[base] = x.x;
  scratch[base + 1u] = x.y;
  scratch[base + 2u] = x.z;
  scratch[base + 3u] = radiusOf(i);
  scratch[base + 4u] = bitcast<f32>(i);
}

fn doneOf(i: u32) -> u32 {
  return bitcast<u32>(scratch[i + 3u * params.capacity]);
}
fn setDone(i: u32, v: u32) {
  scratch[i + 3u * params.capacity] = bitcast<f32>(v);
}
fn nextOf(i: u32) -> u32 {
  return bitcast<u32>(scratch[i + 4u * params.capacity]);
}
fn setNext(i: u32, v: u32) {
  scratch[i + 4u * params.capacity] = bitcast<f32>(v);
}
fn lookAgain(i: u32) -> bool {
  return bitcast<u32>(scratch[i + 5u * params.capacity]) != 0u;
}
fn setLookAgain(i: u32, v: u32) {
  scratch[i + 5u * params.capacity] = bitcast<f32>(v);
}

fn separation(xj: vec3f, xi: vec3f) -> vec3f {
  if (hasFlag(FLAG_PERIODIC)) {
    return nearestImage(xj, xi);
  }
  return xj - xi;
}

// The smallest j ≥ first touching i (|d|² < (r_i + r_j)², |d|² > 0), or NO_PARTNER.
fn nextPartner(i: u32, first: u32) -> u32 {
  let xi = loadPosition(i);
  let ri = radiusOf(i);
  let dims = gridDims();
  let c = cellCoordinates(xi);
  let sz = neighbourSpan(c.z, dims.z);
  let sy = neighbourSpan(c.y, dims.y);
  let runs = rowRuns(neighbourSpan(c.x, dims.x), dims.x);
  var best = NO_PARTNER;
  for (var kz = 0u; kz < sz.y; kz++) {
    let z = (sz.x + kz) % dims.z;
    for (var ky = 0u; ky < sy.y; ky++) {
      let y = (sy.x + ky) % dims.y;
      let row = params.cellEntries + dims.x * (y + dims.y * z);
      for (var run = 0u; run < 2u; run++) {
        let sliceStart = cells[row + select(runs.x, runs.z, run == 1u)];
        let sliceEnd = cells[row + select(runs.y, runs.w, run == 1u)];
        for (var k = sliceStart; k < sliceEnd; k++) {
          let other = cellOrderRecord(k);
          let j = bitcast<u32>(scratch[other + 4u]);
          if (j >= first && j < best && j != i) {
            let d = separation(vec3f(scratch[other], scratch[other + 1u], scratch[other + 2u]), xi);
            let d2 = d.x * d.x + d.y * d.y + d.z * d.z;
            let reach = ri + scratch[other + 3u];
            if (d2 < reach * reach && d2 > 0.0) {
              best = j;
            }
          }
        }
      }
    }
  }
  return best;
}

// One pair's turn: the exact binary impulse if it approaches. Returns whether it applied one.
fn takeTurn(i: u32, j: u32, bounce: f32) -> bool {
  let d = separation(loadPosition(j), loadPosition(i));
  let n = d / sqrt(d.x * d.x + d.y * d.y + d.z * d.z);
  let vi = loadVelocity(i);
  let vj = loadVelocity(j);
  let rel = vj - vi;
  let u = (rel.x * n.x + rel.y * n.y) + rel.z * n.z;
  if (!(u < 0.0)) {
    return false;
  }
  let mi = massOf(i);
  let mj = massOf(j);
  let J = (-bounce * u) / (1.0 / mi + 1.0 / mj);
  storeVelocity(i, vi - (J * n) / mi);
  storeVelocity(j, vj + (J * n) / mj);
  return true;
}

var<workgroup> dueThisRound: atomic<u32>;
var<workgroup> impulsesThisSweep: atomic<u32>;
var<workgroup> uniformWord: u32;

@compute @workgroup_size(${RESOLVE_WORKGROUP})
fn resolveContacts(@builtin(local_invocation_index) t: u32) {
  let n = params.count;
  let bounce = 1.0 + params.collisionRestitution;
  if (t == 0u) {
    uniformWord = gridCellCount();
  }
  if (workgroupUniformLoad(&uniformWord) == 0u) {
    return;
  }
  for (var sweep = 0u; sweep < ${COLLISION_SWEEP_LIMIT}u; sweep++) {
    for (var i = t; i < n; i += ${RESOLVE_WORKGROUP}u) {
      setDone(i, 0u);
      setNext(i, nextPartner(i, 0u));
      setLookAgain(i, 0u);
    }
    if (t == 0u) {
      atomicStore(&impulsesThisSweep, 0u);
    }
    storageBarrier();
    workgroupBarrier();
    loop {
      if (t == 0u) {
        atomicStore(&dueThisRound, 0u);
      }
      workgroupBarrier();
      for (var i = t; i < n; i += ${RESOLVE_WORKGROUP}u) {
        let j = nextOf(i);
        if (j != NO_PARTNER && j > i && nextOf(j) == i) {
          if (takeTurn(i, j, bounce)) {
            atomicAdd(&impulsesThisSweep, 1u);
          }
          setDone(i, j + 1u);
          setDone(j, i + 1u);
          setLookAgain(i, 1u);
          setLookAgain(j, 1u);
          atomicAdd(&dueThisRound, 1u);
        }
      }
      storageBarrier();
      workgroupBarrier();
      for (var i = t; i < n; i += ${RESOLVE_WORKGROUP}u) {
        if (lookAgain(i)) {
          setNext(i, nextPartner(i, doneOf(i)));
          setLookAgain(i, 0u);
        }
      }
      storageBarrier();
      if (t == 0u) {
        uniformWord = atomicLoad(&dueThisRound);
      }
      if (workgroupUniformLoad(&uniformWord) == 0u) {
        break;
      }
    }
    if (t == 0u) {
      uniformWord = atomicLoad(&impulsesThisSweep);
    }
    if (workgroupUniformLoad(&uniformWord) == 0u) {
      return;
    }
  }
  if (t == 0u) {
    grid[${GRID_SLOTS.UNRESOLVED}u] = grid[${GRID_SLOTS.UNRESOLVED}u] + 1u;
  }
}
`;
