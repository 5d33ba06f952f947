import { PARAMS_WGSL, SCRATCH_WGSL, stageUniform } from './common.js';
import { TREE_NODE_BUFFERS_WGSL, TREE_SORT_BUFFERS_WGSL } from './tree-common.js';

export const TREE_WALK_WORKGROUP = 64;

/** `stage.mode` of the walk: accelerations into the cached-force columns, or potential shares for diagnostics. */
export const TREE_WALK_ACCELERATION = 0;
export const TREE_WALK_POTENTIAL = 1;

/**
 * Tree gravity, the walk (docs/physics.md): one invocation per particle, in sorted (Morton) order
 * so that neighbouring invocations walk nearly the same nodes. Depth first from the root, left
 * child before right, without a stack (each node's successor follows from its range; a
 * per-invocation stack array lives in slow scratch memory on many GPUs and on CPU drivers). For a node with centre of mass c, particle box of
 * longest edge s and r = x_i − c: it is accepted as a multipole when s < θ·|r| and x_i is outside
 * the box (compared squared: s² < θ²|r|²) — parts of an octree cell (TREE_SUBCELL) are always
 * opened — and then contributes, with ρ² = |r|² + ε²,
 *   a = −G M r/ρ³ + G [3 P r/ρ⁵ − (15/2)(rᵀP r) r/ρ⁷ + (3/2)(tr P) r/ρ⁵]
 *   φ = −G [M/ρ + (3 rᵀP r − ρ² tr P) / (2ρ⁵)];
 * otherwise its children are visited. A leaf (one particle j ≠ i) is the softened direct term
 * G m_j (x_j − x_i)/ρ³, φ = −G m_j/ρ, exactly as in pairwise-gravity.ts. Each particle's sum runs
 * in one invocation in a fixed order, so the result is the same on every run.
 *
 * `stage.first` overwrites the scratch (the system's first pairwise term), else adds; the
 * potential mode stores ½ m_i φ_i, the particle's share of U = ½ Σ m_i φ_i.
 */
export const TREE_WALK_WGSL = /* wgsl */ `
${PARAMS_WGSL}
${SCRATCH_WGSL}
${TREE_SORT_BUFFERS_WGSL}
${TREE_NODE_BUFFERS_WGSL}
${stageUniform('TreeStage', '  G: f32,\n  softening2: f32,\n  first: u32,\n  theta: f32,\n  mode: u32,')}

struct Pull {
  acceleration: vec3f,
  potential: f32,
}

// The softened monopole + quadrupole of internal node n at x (r = x − c).
fn multipole(r: vec3f, mass: f32, diagonal: vec3f, offDiagonal: vec3f) -> Pull {
  let rho2 = dot(r, r) + stage.softening2;
  let inv = 1.0 / sqrt(rho2);
  let inv2 = inv * inv;
  let inv3 = inv * inv2;
  let inv5 = inv3 * inv2;
  let inv7 = inv5 * inv2;
  // P r with P = [[xx, xy, xz], [xy, yy, yz], [xz, yz, zz]].
  let pr = vec3f(
    diagonal.x * r.x + offDiagonal.x * r.y + offDiagonal.y * r.z,
    offDiagonal.x * r.x + diagonal.y * r.y + offDiagonal.z * r.z,
    offDiagonal.y * r.x + offDiagonal.z * r.y + diagonal.z * r.z,
  );
  let rpr = dot(r, pr);
  let trace = diagonal.x + diagonal.y + diagonal.z;
  let a = -mass * inv3 * r + 3.0 * inv5 * pr + (1.5 * trace * inv5 - 7.5 * rpr * inv7) * r;
  let phi = -(mass * inv + (3.0 * rpr - rho2 * trace) * 0.5 * inv5);
  return Pull(a, phi);
}

@compute @workgroup_size(${TREE_WALK_WORKGROUP})
fn treeWalk(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let k = flatIndex(id, groups, ${TREE_WALK_WORKGROUP}u);
  if (k >= params.count) {
    return;
  }
  let own = sortedBody(k);
  let xi = own.xyz;
  let theta2 = stage.theta * stage.theta;
  var acceleration = vec3f(0.0);
  var potential = 0.0;
  // Stackless: from each node the walk either descends to its left child (opened) or moves on
  // to the node after its subtree (accepted, or a leaf), nextAfter() in tree-common.ts.
  var node = select(TREE_END, 0u, params.count > 1u);
  while (node != TREE_END) {
    if ((node & TREE_LEAF) != 0u) {
      let j = node & TREE_INDEX_MASK;
      if (j != k) {
        let other = sortedBody(j);
        let d = other.xyz - xi;
        let r2 = d.x * d.x + d.y * d.y + d.z * d.z + stage.softening2;
        let root = sqrt(r2);
        acceleration = acceleration + d * (other.w / (r2 * root));
        potential = potential - other.w / root;
      }
      node = nextAfter(j);
      continue;
    }
    let tail = rangeLastAndMark(node);
    var open = (tail & TREE_SUBCELL) != 0u;
    if (!open) {
      let a = nodeVec(node, 0u);
      let lo = nodeVec(node, 1u);
      let hi = nodeVec(node, 2u);
      let r = xi - a.xyz;
      let edges = hi.xyz - lo.xyz;
      let s = max(edges.x, max(edges.y, edges.z));
      let outside = any(xi < lo.xyz) || any(xi > hi.xyz);
      open = !(outside && s * s < theta2 * dot(r, r));
      if (!open) {
        let p = nodeVec(node, 3u);
        let pull = multipole(r, a.w, p.xyz, vec3f(lo.w, hi.w, p.w));
        acceleration = acceleration + pull.acceleration;
        potential = potential + pull.potential;
      }
    }
    if (open) {
      node = leftChild(node);
    } else {
      node = nextAfter(tail & TREE_INDEX_MASK);
    }
  }
  let i = sortIndex(0u, k);
  if (stage.mode == ${TREE_WALK_POTENTIAL}u) {
    let e = 0.5 * stage.G * own.w * potential;
    if (stage.first != 0u) {
      storePotentialShare(i, e);
    } else {
      storePotentialShare(i, loadPotentialShare(i) + e);
    }
  } else {
    let g = stage.G * acceleration;
    if (stage.first != 0u) {
      storePairwise(i, g);
    } else {
      storePairwise(i, loadPairwise(i) + g);
    }
  }
}
`;
