import type { BoundsBox } from '../plan.js';
import type { Workspace } from '../workspace.js';

const fround = Math.fround;

/**
 * bounds, contact phase, for particles lo..hi−1: a sphere touching a face while moving outward
 * has that velocity component reflected and scaled by e. "Touching" compares the centre with the
 * float32 wall limits `fround(min + r)` / `fround(max − r)` — the very values the clamp below puts
 * a particle at — so a clamped particle is always seen as touching (docs/physics.md).
 * The fused loop (fused.ts) repeats these comparisons on locals; keep both identical.
 */
export function reflectAtWalls(ws: Workspace, box: BoundsBox, lo: number, hi: number): void {
  const { px, py, pz, vx, vy, vz, radius } = ws;
  const [minX, minY, minZ] = box.min;
  const [maxX, maxY, maxZ] = box.max;
  const e = box.restitution;
  for (let i = lo; i < hi; i++) {
    const r = radius[i];
    const x = px[i],
      y = py[i],
      z = pz[i];
    const u = vx[i],
      v = vy[i],
      w = vz[i];
    if ((x <= fround(minX + r) && u < 0) || (x >= fround(maxX - r) && u > 0)) vx[i] = -e * u;
    if ((y <= fround(minY + r) && v < 0) || (y >= fround(maxY - r) && v > 0)) vy[i] = -e * v;
    if ((z <= fround(minZ + r) && w < 0) || (z >= fround(maxZ - r) && w > 0)) vz[i] = -e * w;
  }
}

/**
 * bounds, after the drift: `x = min(max(x, fround(min + r)), fround(max − r))`, so a particle never
 * leaves the box even when |v|·dt exceeds its distance to the wall.
 */
export function clampToBox(ws: Workspace, box: BoundsBox, lo: number, hi: number): void {
  const { px, py, pz, radius } = ws;
  const [minX, minY, minZ] = box.min;
  const [maxX, maxY, maxZ] = box.max;
  for (let i = lo; i < hi; i++) {
    const r = radius[i];
    px[i] = Math.min(Math.max(px[i], fround(minX + r)), fround(maxX - r));
    py[i] = Math.min(Math.max(py[i], fround(minY + r)), fround(maxY - r));
    pz[i] = Math.min(Math.max(pz[i], fround(minZ + r)), fround(maxZ - r));
  }
}
