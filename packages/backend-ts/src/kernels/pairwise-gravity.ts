import type { PairwiseTerm } from '../plan.js';
import type { Workspace } from '../workspace.js';

/**
 * pairwiseGravity for particles lo..hi−1, reading every particle's position and mass, into the
 * pairwise accelerations fx/fy/fz: `f_i (=|+=) G Σ_{j≠i} m_j d / (|d|² + ε²)^{3/2}`, `d = x_j − x_i`,
 * summed over j in ascending order (so any split of i across threads gives the same bits). The
 * first rule overwrites, later ones add. j = i is skipped rather than relying on d = 0, because
 * with ε = 0 that term would be 0/0.
 */
export function pairwiseGravity(ws: Workspace, term: PairwiseTerm, first: boolean, lo: number, hi: number): void {
  const { px, py, pz, mass, fx, fy, fz } = ws;
  const n = ws.count;
  const { G, eps2 } = term;
  for (let i = lo; i < hi; i++) {
    const xi = px[i], yi = py[i], zi = pz[i];
    let sx = 0, sy = 0, sz = 0;
    for (let j = 0; j < i; j++) {
      const dx = px[j] - xi, dy = py[j] - yi, dz = pz[j] - zi;
      const r2 = dx * dx + dy * dy + dz * dz + eps2;
      const s = mass[j] / (r2 * Math.sqrt(r2));
      sx += dx * s;
      sy += dy * s;
      sz += dz * s;
    }
    for (let j = i + 1; j < n; j++) {
      const dx = px[j] - xi, dy = py[j] - yi, dz = pz[j] - zi;
      const r2 = dx * dx + dy * dy + dz * dz + eps2;
      const s = mass[j] / (r2 * Math.sqrt(r2));
      sx += dx * s;
      sy += dy * s;
      sz += dz * s;
    }
    if (first) {
      fx[i] = G * sx;
      fy[i] = G * sy;
      fz[i] = G * sz;
    } else {
      fx[i] += G * sx;
      fy[i] += G * sy;
      fz[i] += G * sz;
    }
  }
}
