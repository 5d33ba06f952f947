import type { GravityTree } from './tree.js';

// Node fields are read at literal offsets (tree.ts NODE_STRIDE = 18 and the N_* layout): the walk
// is the hot loop, and V8 does not fold imported constants into it (measured ~20 % slower).
// 0–2 centre of mass, 3 M, 4 longest edge², 5–7 box min, 8–10 box max, 11–16 P, 17 tr P.

/**
 * The tree's accelerations of the particles in slots lo..hi−1 (docs/physics.md "Gravity by tree",
 * steps 5–6), written to fx/fy/fz at each particle's index: overwritten when `first` (the first
 * pairwiseGravity rule), added otherwise. Each particle walks the tree alone, depth-first through
 * the skip links, so any split of the slots across threads gives the same bits.
 */
export function treeAccelerations(
  tree: GravityTree,
  G: number,
  eps2: number,
  theta: number,
  first: boolean,
  lo: number,
  hi: number,
  fx: Float64Array,
  fy: Float64Array,
  fz: Float64Array,
): void {
  const T = tree.node;
  const { skip, size, body, order } = tree;
  const start = tree.first;
  const end = tree.nodes;
  const theta2 = theta * theta;
  for (let slot = lo; slot < hi; slot++) {
    const xi = body[4 * slot],
      yi = body[4 * slot + 1],
      zi = body[4 * slot + 2];
    let ax = 0,
      ay = 0,
      az = 0;
    let k = 0;
    while (k < end) {
      const o = 18 * k; // NODE_STRIDE
      const rx = xi - T[o + 0],
        ry = yi - T[o + 1],
        rz = zi - T[o + 2];
      const r2 = rx * rx + ry * ry + rz * rz;
      if (T[o + 4] < theta2 * r2 && (xi < T[o + 5] || xi > T[o + 8] || yi < T[o + 6] || yi > T[o + 9] || zi < T[o + 7] || zi > T[o + 10])) {
        // a = −M r/ρ³ + 3 P r/ρ⁵ − (15/2)(rᵀP r) r/ρ⁷ + (3/2)(tr P) r/ρ⁵ (times G below)
        const rho2 = r2 + eps2;
        const inv2 = 1 / rho2;
        const inv3 = Math.sqrt(inv2) * inv2;
        if (T[o + 17] === 0) {
          // P = 0 (one particle, or coincident ones: tr P = 0 only then): the quadrupole terms are
          // exact zeros, so the monopole alone gives the same bits, for a third of the work.
          const radial = -T[o + 3] * inv3;
          ax += radial * rx;
          ay += radial * ry;
          az += radial * rz;
          k = skip[k];
          continue;
        }
        const inv5 = inv3 * inv2;
        const prx = T[o + 11] * rx + T[o + 12] * ry + T[o + 13] * rz;
        const pry = T[o + 12] * rx + T[o + 14] * ry + T[o + 15] * rz;
        const prz = T[o + 13] * rx + T[o + 15] * ry + T[o + 16] * rz;
        const rpr = rx * prx + ry * pry + rz * prz;
        const radial = -T[o + 3] * inv3 + (1.5 * T[o + 17] - 7.5 * rpr * inv2) * inv5;
        const q = 3 * inv5;
        ax += radial * rx + q * prx;
        ay += radial * ry + q * pry;
        az += radial * rz + q * prz;
        k = skip[k];
        continue;
      }
      const count = size[k];
      if (count > 0) {
        // An opened leaf: the direct softened sum, skipping i itself by its slot.
        const a = start[k];
        const b = a + count;
        for (let s = a; s < b; s++) {
          if (s === slot) continue;
          const dx = body[4 * s] - xi,
            dy = body[4 * s + 1] - yi,
            dz = body[4 * s + 2] - zi;
          const d2 = dx * dx + dy * dy + dz * dz + eps2;
          const w = body[4 * s + 3] / (d2 * Math.sqrt(d2));
          ax += dx * w;
          ay += dy * w;
          az += dz * w;
        }
        k = skip[k];
      } else k++;
    }
    const i = order[slot];
    if (first) {
      fx[i] = G * ax;
      fy[i] = G * ay;
      fz[i] = G * az;
    } else {
      fx[i] += G * ax;
      fy[i] += G * ay;
      fz[i] += G * az;
    }
  }
}

/**
 * U = ½ Σ_i m_i φ_i with the tree's potential φ_i = −G [ Σ_accepted (M/ρ + (3 rᵀP r − ρ² tr P) /
 * (2ρ⁵)) + Σ_opened leaves m_j/√(r² + ε²) ] (docs/physics.md "Gravity by tree", step 7).
 */
export function treePotential(tree: GravityTree, G: number, eps2: number, theta: number): number {
  const T = tree.node;
  const { skip, size, body } = tree;
  const start = tree.first;
  const end = tree.nodes;
  const theta2 = theta * theta;
  let total = 0;
  for (let slot = 0; slot < tree.count; slot++) {
    const xi = body[4 * slot],
      yi = body[4 * slot + 1],
      zi = body[4 * slot + 2];
    let phi = 0;
    let k = 0;
    while (k < end) {
      const o = 18 * k; // NODE_STRIDE
      const rx = xi - T[o + 0],
        ry = yi - T[o + 1],
        rz = zi - T[o + 2];
      const r2 = rx * rx + ry * ry + rz * rz;
      if (T[o + 4] < theta2 * r2 && (xi < T[o + 5] || xi > T[o + 8] || yi < T[o + 6] || yi > T[o + 9] || zi < T[o + 7] || zi > T[o + 10])) {
        const rho2 = r2 + eps2;
        const inv = 1 / Math.sqrt(rho2);
        const inv2 = inv * inv;
        const prx = T[o + 11] * rx + T[o + 12] * ry + T[o + 13] * rz;
        const pry = T[o + 12] * rx + T[o + 14] * ry + T[o + 15] * rz;
        const prz = T[o + 13] * rx + T[o + 15] * ry + T[o + 16] * rz;
        const rpr = rx * prx + ry * pry + rz * prz;
        phi += T[o + 3] * inv + 0.5 * (3 * rpr - rho2 * T[o + 17]) * inv2 * inv2 * inv;
        k = skip[k];
        continue;
      }
      const count = size[k];
      if (count > 0) {
        const a = start[k];
        const b = a + count;
        for (let s = a; s < b; s++) {
          if (s === slot) continue;
          const dx = body[4 * s] - xi,
            dy = body[4 * s + 1] - yi,
            dz = body[4 * s + 2] - zi;
          phi += body[4 * s + 3] / Math.sqrt(dx * dx + dy * dy + dz * dz + eps2);
        }
        k = skip[k];
      } else k++;
    }
    total += body[4 * slot + 3] * phi;
  }
  return -0.5 * G * total;
}
