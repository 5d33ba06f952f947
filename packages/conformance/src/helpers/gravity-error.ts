import type { ParticleState } from '@brokenrecord/core';

/**
 * Relative force errors |a − a_direct| / |a_direct| of `measured` (accelerations by particle, 3 per
 * particle) at every `stride`-th particle, against the softened all-pairs sum in float64 from the
 * float32 positions. Sorted ascending.
 */
export function relativeForceErrors(state: ParticleState, measured: Float64Array, eps2: number, G: number, stride: number): number[] {
  const { px, py, pz, mass } = state;
  const n = state.count;
  const errors: number[] = [];
  for (let i = 0; i < n; i += stride) {
    let ax = 0,
      ay = 0,
      az = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = px[j] - px[i],
        dy = py[j] - py[i],
        dz = pz[j] - pz[i];
      const r2 = dx * dx + dy * dy + dz * dz + eps2;
      const w = mass[j] / (r2 * Math.sqrt(r2));
      ax += dx * w;
      ay += dy * w;
      az += dz * w;
    }
    ax *= G;
    ay *= G;
    az *= G;
    errors.push(Math.hypot(measured[3 * i] - ax, measured[3 * i + 1] - ay, measured[3 * i + 2] - az) / Math.hypot(ax, ay, az));
  }
  return errors.sort((a, b) => a - b);
}

/** The q-quantile of ascending `sorted` (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Radii about the centre of mass enclosing the given mass fractions (equal masses assumed: by count). */
export function lagrangianRadii(state: ParticleState, fractions: readonly number[]): number[] {
  const { px, py, pz, mass } = state;
  const n = state.count;
  let m = 0;
  const c = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    m += mass[i];
    c[0] += mass[i] * px[i];
    c[1] += mass[i] * py[i];
    c[2] += mass[i] * pz[i];
  }
  const r = Array.from({ length: n }, (_, i) => Math.hypot(px[i] - c[0] / m, py[i] - c[1] / m, pz[i] - c[2] / m)).sort((a, b) => a - b);
  return fractions.map((f) => r[Math.min(n - 1, Math.ceil(f * n) - 1)]);
}
