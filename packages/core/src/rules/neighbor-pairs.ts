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
  const image = box ? nearestImage(box) : null;
  const cellsPerAxis = box ? box.length.map((L) => Math.floor(L / cutoff)) : null;
  // A periodic box fewer than three cells wide would see one neighbour cell twice: compare all pairs.
  if (n < 64 || (cellsPerAxis && cellsPerAxis.some((c) => c < 3))) {
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let dx = px[j] - px[i], dy = py[j] - py[i], dz = pz[j] - pz[i];
        if (image) [dx, dy, dz] = image(dx, dy, dz);
        const r2 = dx * dx + dy * dy + dz * dz;
        if (r2 < rc2) visit(i, j, dx, dy, dz, r2);
      }
    }
    return;
  }
  const cellOf = (i: number): [number, number, number] => {
    const p = [px[i], py[i], pz[i]];
    if (box && cellsPerAxis) {
      return [0, 1, 2].map((k) => {
        const u = (p[k] - box.min[k]) / box.length[k];
        const c = Math.floor((u - Math.floor(u)) * cellsPerAxis[k]);
        return Math.min(Math.max(c, 0), cellsPerAxis[k] - 1);
      }) as [number, number, number];
    }
    return [Math.floor(p[0] / cutoff), Math.floor(p[1] / cutoff), Math.floor(p[2] / cutoff)];
  };
  const key = (c: readonly number[]) => `${c[0]},${c[1]},${c[2]}`;
  const cells = new Map<string, number[]>();
  const home: [number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    const c = cellOf(i);
    home.push(c);
    const k = key(c);
    const list = cells.get(k);
    if (list) list.push(i);
    else cells.set(k, [i]);
  }
  for (let i = 0; i < n; i++) {
    const [cx, cy, cz] = home[i];
    for (let ox = -1; ox <= 1; ox++) {
      for (let oy = -1; oy <= 1; oy++) {
        for (let oz = -1; oz <= 1; oz++) {
          let c = [cx + ox, cy + oy, cz + oz];
          if (cellsPerAxis) c = c.map((v, k) => (v + cellsPerAxis[k]) % cellsPerAxis[k]);
          const list = cells.get(key(c));
          if (!list) continue;
          for (const j of list) {
            if (j <= i) continue;
            let dx = px[j] - px[i], dy = py[j] - py[i], dz = pz[j] - pz[i];
            if (image) [dx, dy, dz] = image(dx, dy, dz);
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
