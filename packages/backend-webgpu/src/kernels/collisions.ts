import { COLLISION_SWEEP_LIMIT } from '@brokenrecord/core';
import { PARAMS_WGSL, SCRATCH_WGSL, STATE_WGSL } from './common.js';
import { GRID_INFO_WGSL, GRID_SLOTS } from './grid-common.js';

export const COLLISIONS_WORKGROUP = 64;
/** Invocations of the one workgroup that resolves the contacts (dispatched as a single group). */
export const RESOLVE_WORKGROUP = 64;

/**
 * collisions (docs/physics.md, "Collisions"): sequential exact binary impulses over the touching
 * pairs in lexicographic (i, j) order, swept until none approaches, computed in float32 with the
 * "parallel schedule" of the document. Per particle, the pairs at i are visited in increasing
 * partner order, so "which of i's pairs has this sweep visited" is one number, done[i] (partners
 * below it), and next[i] is the smallest touching partner ≥ done[i] (a scan of the 3×3×3 cells).
 * A pair is due when each particle is the other's next: every due pair (they share no particle)
 * takes its turn at once, then only the particles that took part look for their next partner and
 * form the next round's worklist (a pair can only become due when one of its particles moved on).
 * Rounds repeat until no pair is due (the sweep is over), sweeps until one applies no impulse or
 * COLLISION_SWEEP_LIMIT ran; a step whose last sweep still applied one adds 1 to the grid's
 * UNRESOLVED word. The whole phase is one workgroup with barriers between the phases.
 *
 * done, next and the round tag live in the three scratch columns that held the Jacobi velocity
 * changes (free during a step; diagnostics reuse the first one afterwards), the two worklists in
 * the spare floats of the cell-order records.
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

// Each particle's first partner (the smallest touching j), the start of every sweep: in the last
// spare float of the particle's own-index record.
fn firstPartnerOf(i: u32) -> u32 {
  return bitcast<u32>(scratch[cellOrderRecord(i) + 7u]);
}

// After gatherInCellOrder, before resolveContacts: every particle's first partner, in parallel.
@compute @workgroup_size(${COLLISIONS_WORKGROUP})
fn firstPartners(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = flatIndex(id, groups, ${COLLISIONS_WORKGROUP}u);
  if (i >= params.count || gridCellCount() == 0u) {
    return;
  }
  scratch[cellOrderRecord(i) + 7u] = bitcast<f32>(nextPartner(i, 0u));
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
fn tagOf(i: u32) -> u32 {
  return bitcast<u32>(scratch[i + 5u * params.capacity]);
}
fn setTag(i: u32, v: u32) {
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

// The worklists of the rounds: entry k of list 0 or 1, in the spare floats of the k-th record.
fn listEntry(list: u32, k: u32) -> u32 {
  return bitcast<u32>(scratch[cellOrderRecord(k) + 5u + list]);
}
fn setListEntry(list: u32, k: u32, i: u32) {
  scratch[cellOrderRecord(k) + 5u + list] = bitcast<f32>(i);
}

var<workgroup> listed: atomic<u32>;
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
  // A particle's tag is the round whose worklist holds it (tags restart with each sweep).
  for (var sweep = 0u; sweep < ${COLLISION_SWEEP_LIMIT}u; sweep++) {
    for (var i = t; i < n; i += ${RESOLVE_WORKGROUP}u) {
      setDone(i, 0u);
      setNext(i, firstPartnerOf(i));
      setTag(i, 0u);
    }
    if (t == 0u) {
      atomicStore(&impulsesThisSweep, 0u);
    }
    storageBarrier();
    workgroupBarrier();
    // Round 0 looks at every particle; later rounds only at those whose next partner changed
    // (a pair becomes due only when one of its two particles moved on).
    var round = 0u;
    var size = n;
    loop {
      let side = round & 1u;
      if (t == 0u) {
        atomicStore(&listed, 0u);
      }
      workgroupBarrier();
      for (var k = t; k < size; k += ${RESOLVE_WORKGROUP}u) {
        var i = k;
        if (round > 0u) {
          i = listEntry(side, k);
        }
        let j = nextOf(i);
        // Due when each is the other's next; taken by the lower index, or by i alone when j
        // is not on this round's list (it would not look).
        if (j != NO_PARTNER && nextOf(j) == i && (i < j || (round > 0u && tagOf(j) != round))) {
          let a = min(i, j);
          let b = max(i, j);
          if (takeTurn(a, b, bounce)) {
            atomicAdd(&impulsesThisSweep, 1u);
          }
          setDone(a, b + 1u);
          setDone(b, a + 1u);
          let at = atomicAdd(&listed, 2u);
          setListEntry(1u - side, at, a);
          setListEntry(1u - side, at + 1u, b);
        }
      }
      storageBarrier();
      if (t == 0u) {
        uniformWord = atomicLoad(&listed);
      }
      size = workgroupUniformLoad(&uniformWord);
      if (size == 0u) {
        break;
      }
      round++;
      for (var k = t; k < size; k += ${RESOLVE_WORKGROUP}u) {
        let i = listEntry(1u - side, k);
        setNext(i, nextPartner(i, doneOf(i)));
        setTag(i, round);
      }
      storageBarrier();
      workgroupBarrier();
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
