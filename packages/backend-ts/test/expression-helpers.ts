import { checkState, COLUMNS, potentialEnergy, type ParticleState, type SystemDefinition } from '@brokenrecord/core';
import type { TsBackendOptions } from '../dist/index.js';
import { createContext } from './helpers.js';

export interface Accelerations {
  ax: Float64Array;
  ay: Float64Array;
  az: Float64Array;
}

/**
 * The accelerations the backend applies to `state` at time `from`·1: one euler step of dt = 1 from
 * the state's velocities gives v₁ = f32(v₀ + a), so a = v₁ − v₀ to float32 precision. The system
 * must use euler.
 */
export async function backendAccelerations(
  system: SystemDefinition,
  state: ParticleState,
  options: Partial<TsBackendOptions> = {},
  from = 0,
): Promise<Accelerations> {
  if (system.integrator !== 'euler') throw new Error('backendAccelerations needs an euler system');
  const copy = state.clone({ shared: false });
  checkState(copy, system);
  const ctx = await createContext(system, copy, { dt: 1, ...options });
  try {
    ctx.step(1, from);
  } finally {
    await ctx.dispose();
  }
  const n = state.count;
  const out = { ax: new Float64Array(n), ay: new Float64Array(n), az: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    out.ax[i] = copy.vx[i] - state.vx[i];
    out.ay[i] = copy.vy[i] - state.vy[i];
    out.az[i] = copy.vz[i] - state.vz[i];
  }
  return out;
}

/**
 * −∇U/m from core's float64 reference potential (the same trees, evaluated by core), by central
 * differences over positions as they round to float32 (the step used is the one that was stored).
 */
export function referenceAccelerations(system: SystemDefinition, state: ParticleState, time = 0, h = 1e-3): Accelerations {
  const s = state.clone({ shared: false });
  checkState(s, system);
  const n = s.count;
  const out = { ax: new Float64Array(n), ay: new Float64Array(n), az: new Float64Array(n) };
  const axes = [
    [s.px, out.ax],
    [s.py, out.ay],
    [s.pz, out.az],
  ] as const;
  for (let i = 0; i < n; i++) {
    for (const [col, acc] of axes) {
      const x = col[i];
      col[i] = x + h;
      const xp = col[i];
      const up = potentialEnergy(s, system, time);
      col[i] = x - h;
      const xm = col[i];
      const um = potentialEnergy(s, system, time);
      col[i] = x;
      acc[i] = -(up - um) / (xp - xm) / s.mass[i];
    }
  }
  return out;
}

/** Largest |a − b| over every component, relative to the largest |b|. */
export function relativeDifference(a: Accelerations, b: Accelerations): number {
  let diff = 0,
    scale = 0;
  for (const k of ['ax', 'ay', 'az'] as const) {
    for (let i = 0; i < a[k].length; i++) {
      diff = Math.max(diff, Math.abs(a[k][i] - b[k][i]));
      scale = Math.max(scale, Math.abs(b[k][i]));
    }
  }
  return diff / scale;
}

/** Largest |a − b| over the position and velocity columns, relative to each column's largest |b|. */
export function stateDifference(a: ParticleState, b: ParticleState): number {
  let worst = 0;
  for (const c of COLUMNS.slice(0, 6)) {
    const x = a.column(c),
      y = b.column(c);
    let diff = 0,
      scale = 0;
    for (let i = 0; i < y.length; i++) {
      diff = Math.max(diff, Math.abs(x[i] - y[i]));
      scale = Math.max(scale, Math.abs(y[i]));
    }
    worst = Math.max(worst, scale > 0 ? diff / scale : diff);
  }
  return worst;
}

/** Smallest |r − cutoff| over all pairs (nearest image with `box` lengths): finite differences need it away from 0. */
export function closestToCutoff(state: ParticleState, cutoff: number, box: readonly number[] | null = null): number {
  let best = Infinity;
  const { px, py, pz } = state;
  for (let i = 0; i < state.count; i++) {
    for (let j = i + 1; j < state.count; j++) {
      let d = [px[j] - px[i], py[j] - py[i], pz[j] - pz[i]];
      if (box) d = d.map((v, k) => v - box[k] * Math.round(v / box[k]));
      best = Math.min(best, Math.abs(Math.hypot(d[0], d[1], d[2]) - cutoff));
    }
  }
  return best;
}
