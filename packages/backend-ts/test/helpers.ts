import { COLUMNS, ParticleState, type SystemDefinition } from '@brokenrecord/core';
import { tsBackend, type TsBackendOptions, type TsContext } from '../dist/index.js';

/** Small seeded PRNG (mulberry32): every random configuration in these tests is reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface CloudOptions {
  /** Half-width of the cube the positions fill. */
  extent?: number;
  speed?: number;
  radius?: [number, number];
  mass?: [number, number];
}

/** `n` particles with random positions, velocities, masses and radii. */
export function randomCloud(n: number, seed: number, options: CloudOptions = {}): ParticleState {
  const { extent = 10, speed = 1, radius = [0, 0], mass = [1, 1] } = options;
  const rand = prng(seed);
  const between = ([lo, hi]: [number, number]) => lo + (hi - lo) * rand();
  const s = ParticleState.create(n);
  for (let i = 0; i < n; i++) {
    s.px[i] = (2 * rand() - 1) * extent;
    s.py[i] = (2 * rand() - 1) * extent;
    s.pz[i] = (2 * rand() - 1) * extent;
    s.vx[i] = (2 * rand() - 1) * speed;
    s.vy[i] = (2 * rand() - 1) * speed;
    s.vz[i] = (2 * rand() - 1) * speed;
    s.mass[i] = between(mass);
    s.radius[i] = between(radius);
  }
  return s;
}

export async function createContext(system: SystemDefinition, state: ParticleState, options: TsBackendOptions): Promise<TsContext> {
  return (await tsBackend.create(system, state, options)) as TsContext;
}

/** Steps a copy of `state` and returns the copy. */
export async function run(
  system: SystemDefinition,
  state: ParticleState,
  steps: number,
  options: TsBackendOptions,
): Promise<ParticleState> {
  const copy = state.clone({ shared: false });
  const ctx = await createContext(system, copy, options);
  try {
    ctx.step(steps);
  } finally {
    await ctx.dispose();
  }
  return copy;
}

/** Index and column of the first value whose float32 bits differ, or null when the states are bitwise equal. */
export function firstBitDifference(a: ParticleState, b: ParticleState): string | null {
  if (a.count !== b.count) return `count ${a.count} vs ${b.count}`;
  for (const c of COLUMNS) {
    const x = new Uint32Array(Float32Array.from(a.column(c)).buffer);
    const y = new Uint32Array(Float32Array.from(b.column(c)).buffer);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return `${c}[${i}]: ${a.column(c)[i]} vs ${b.column(c)[i]}`;
  }
  return null;
}
