import type { ParticleState } from '@brokenrecord/core';

/**
 * What both particle views draw: a square world-space window (x right, y up; z is dropped, every
 * scenario is viewed from above) and the mass above which a particle counts as "heavy".
 */
export interface ViewWindow {
  cx: number;
  cy: number;
  half: number;
  heavy: number;
}

/**
 * Fitted once to the initial state, not every frame, so motion stays visible instead of being
 * zoomed away. "Heavy" = well above the typical mass: the sun and the galaxy's centre get drawn
 * as such.
 */
export function fitWindow(state: ParticleState): ViewWindow {
  const { px, py, mass, count } = state;
  let minX = Infinity,
    maxX = -Infinity,
    minY = Infinity,
    maxY = -Infinity;
  for (let i = 0; i < count; i++) {
    minX = Math.min(minX, px[i]);
    maxX = Math.max(maxX, px[i]);
    minY = Math.min(minY, py[i]);
    maxY = Math.max(maxY, py[i]);
  }
  const half = Math.max(maxX - minX, maxY - minY, 1e-6) * 0.55;
  const sorted = Array.from(mass.subarray(0, count)).sort((a, b) => a - b);
  return { cx: (minX + maxX) / 2, cy: (minY + maxY) / 2, half, heavy: 10 * (sorted[Math.floor(count / 2)] ?? 1) };
}

/** Few bodies get big dots (pixels) so a four-body system is visible; crowds get small ones. */
export function minDotPixels(count: number): number {
  return count <= 64 ? 3 : count <= 2000 ? 1.6 : 1;
}
