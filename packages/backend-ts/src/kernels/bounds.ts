import type { BoundsBox } from '../plan.js';
import type { Workspace } from '../workspace.js';

/**
 * bounds, contact phase, for particles lo..hi−1: a sphere touching a face while moving outward
 * has that velocity component reflected and scaled by e. The fused loop (fused.ts) repeats these
 * comparisons on locals; keep both identical.
 */
export function reflectAtWalls(ws: Workspace, box: BoundsBox, lo: number, hi: number): void {
  const { px, py, pz, vx, vy, vz, radius } = ws;
  const [minX, minY, minZ] = box.min;
  const [maxX, maxY, maxZ] = box.max;
  const e = box.restitution;
  for (let i = lo; i < hi; i++) {
    const r = radius[i];
    const x = px[i], y = py[i], z = pz[i];
    const u = vx[i], v = vy[i], w = vz[i];
    if ((x - r <= minX && u < 0) || (x + r >= maxX && u > 0)) vx[i] = -e * u;
    if ((y - r <= minY && v < 0) || (y + r >= maxY && v > 0)) vy[i] = -e * v;
    if ((z - r <= minZ && w < 0) || (z + r >= maxZ && w > 0)) vz[i] = -e * w;
  }
}

/**
 * bounds, after the drift: `x = min(max(x, min + r), max − r)`, so a particle never leaves the
 * box even when |v|·dt exceeds its distance to the wall.
 */
export function clampToBox(ws: Workspace, box: BoundsBox, lo: number, hi: number): void {
  const { px, py, pz, radius } = ws;
  const [minX, minY, minZ] = box.min;
  const [maxX, maxY, maxZ] = box.max;
  for (let i = lo; i < hi; i++) {
    const r = radius[i];
    px[i] = Math.min(Math.max(px[i], minX + r), maxX - r);
    py[i] = Math.min(Math.max(py[i], minY + r), maxY - r);
    pz[i] = Math.min(Math.max(pz[i], minZ + r), maxZ - r);
  }
}
