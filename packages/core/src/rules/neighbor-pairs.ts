import type { PeriodicBox } from '../kernel-plan.js';
import type { ParticleState } from '../state.js';

/**
 * Visits every unordered pair i < j closer than `cutoff` (d = x_j − x_i, nearest image when
 * periodic), in float64, with a hash grid of cells of size ≥ cutoff. The reference for the energy
 * diagnostics of cutoff pair forces, and what backends' own grids must agree with.
 */
export function forEachPairWithin(
  state: ParticleState,
  cutoff: number,
  box: PeriodicBox | null,
  visit: (i: number, j: number, dx: number, dy: number, dz: number, r2: number) => void,
): void {
  const n = state.count;
  const { px, py, pz } = state;
  const rc2 = cutoff * cutoff;
  const [Lx, Ly, Lz] = box ? box.length : [0, 0, 0];
  const cellsPerAxis = box ? box.length.map((L) => Math.floor(L / cutoff)) : null;
  // A periodic box fewer than three cells wide would see one neighbour cell twice: compare all pairs.
  if (n < 64 || (cellsPerAxis && cellsPerAxis.some((c) => c < 3))) {
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let dx = px[j] - px[i],
          dy = py[j] - py[i],
          dz = pz[j] - pz[i];
        if (box) {
          dx -= Lx * Math.round(dx / Lx);
          dy -= Ly * Math.round(dy / Ly);
          dz -= Lz * Math.round(dz / Lz);
        }
        const r2 = dx * dx + dy * dy + dz * dz;
        if (r2 < rc2) visit(i, j, dx, dy, dz, r2);
      }
    }
    return;
  }
  // Linked cells (head/next arrays): cells at least `cutoff` wide, so every partner is in the 27
  // cells around a particle's own. Without a box the grid spans the particles' bounding box, made
  // coarser when that would mean many more cells than particles (wider cells stay correct).
  const lo = [0, 0, 0];
  const dims = [1, 1, 1];
  const size = [cutoff, cutoff, cutoff];
  const cols = [px, py, pz];
  for (let k = 0; k < 3; k++) {
    if (box && cellsPerAxis) {
      lo[k] = box.min[k];
      dims[k] = cellsPerAxis[k];
      size[k] = box.length[k] / cellsPerAxis[k];
      continue;
    }
    let min = Infinity,
      max = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = cols[k][i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
    lo[k] = min;
    dims[k] = Math.max(1, Math.floor((max - min) / cutoff) + 1);
  }
  while (!box && dims[0] * dims[1] * dims[2] > 8 * n + 64) {
    for (let k = 0; k < 3; k++) {
      size[k] *= 2;
      dims[k] = Math.max(1, Math.ceil(dims[k] / 2));
    }
  }
  const cellOf = new Int32Array(n);
  const head = new Int32Array(dims[0] * dims[1] * dims[2]).fill(-1);
  const next = new Int32Array(n);
  const axisCell = (k: number, v: number) => {
    let u = (v - lo[k]) / size[k];
    if (box) u -= dims[k] * Math.floor(u / dims[k]);
    return Math.min(Math.max(Math.floor(u), 0), dims[k] - 1);
  };
  for (let i = 0; i < n; i++) {
    const c = axisCell(0, px[i]) + dims[0] * (axisCell(1, py[i]) + dims[1] * axisCell(2, pz[i]));
    cellOf[i] = c;
    next[i] = head[c];
    head[c] = i;
  }
  for (let i = 0; i < n; i++) {
    const c = cellOf[i];
    const cx = c % dims[0],
      cy = Math.floor(c / dims[0]) % dims[1],
      cz = Math.floor(c / (dims[0] * dims[1]));
    for (let oz = -1; oz <= 1; oz++) {
      let z = cz + oz;
      if (box) z = (z + dims[2]) % dims[2];
      else if (z < 0 || z >= dims[2]) continue;
      for (let oy = -1; oy <= 1; oy++) {
        let y = cy + oy;
        if (box) y = (y + dims[1]) % dims[1];
        else if (y < 0 || y >= dims[1]) continue;
        for (let ox = -1; ox <= 1; ox++) {
          let x = cx + ox;
          if (box) x = (x + dims[0]) % dims[0];
          else if (x < 0 || x >= dims[0]) continue;
          for (let j = head[x + dims[0] * (y + dims[1] * z)]; j >= 0; j = next[j]) {
            if (j <= i) continue;
            let dx = px[j] - px[i],
              dy = py[j] - py[i],
              dz = pz[j] - pz[i];
            if (box) {
              dx -= Lx * Math.round(dx / Lx);
              dy -= Ly * Math.round(dy / Ly);
              dz -= Lz * Math.round(dz / Lz);
            }
            const r2 = dx * dx + dy * dy + dz * dz;
            if (r2 < rc2) visit(i, j, dx, dy, dz, r2);
          }
        }
      }
    }
  }
}

/** d − L·round(d/L) per axis. */
export function nearestImage(box: PeriodicBox): (dx: number, dy: number, dz: number) => [number, number, number] {
  const [Lx, Ly, Lz] = box.length;
  return (dx, dy, dz) => [dx - Lx * Math.round(dx / Lx), dy - Ly * Math.round(dy / Ly), dz - Lz * Math.round(dz / Lz)];
}

/** "i,j" with i < j for every bonded pair of every table (pair forces with `exclude: 'bonds'` skip these). */
export function bondedPairs(state: ParticleState): Set<number> {
  const set = new Set<number>();
  const n = state.count;
  for (const group of state.bondGroups) {
    const table = state.bonds(group)!;
    for (let b = 0; b < table.count; b++) {
      const i = Math.min(table.i[b], table.j[b]);
      const j = Math.max(table.i[b], table.j[b]);
      set.add(i * n + j);
    }
  }
  return set;
}
