import type { PeriodicBox } from '@brokenrecord/core';
import type { Workspace } from '../workspace.js';

const fround = Math.fround;

/**
 * periodic, after the drift, for particles lo..hi−1: `x = x − L·floor((x − lo)/L)` per axis, with
 * lo and L the box's float32 origin and length; a result that rounds to ≥ lo + L becomes lo
 * (docs/physics.md). A coordinate already inside is left as it is (the formula gives it back).
 */
export function wrapIntoBox(ws: Workspace, box: PeriodicBox, lo: number, hi: number): void {
  const columns = [ws.px, ws.py, ws.pz];
  for (let k = 0; k < 3; k++) {
    const col = columns[k];
    const min = box.min[k],
      L = box.length[k];
    const top = min + L;
    for (let i = lo; i < hi; i++) {
      const x = col[i];
      if (x >= min && x < top) continue;
      const w = fround(x - L * Math.floor((x - min) / L));
      col[i] = w >= top ? min : w;
    }
  }
}
