import {
  bondedPairs,
  compileFunction,
  compileKernelPlan,
  ParticleState,
  type PeriodicBox,
  type SystemDefinition,
} from '@brokenrecord/core';

/**
 * Accelerations of docs/physics.md ("Rules written as expressions") evaluated in float64 on the
 * host from the trees of core's kernel plan, by brute force over every ordered pair: what the GPU
 * kernels must compute, written independently of them (no grid, no tiles, no adjacency lists).
 * Presets: uniform gravity, drag and pairwise gravity (no contacts).
 */
export function referenceAccelerations(
  system: SystemDefinition,
  state: ParticleState,
  time: number,
): [Float64Array, Float64Array, Float64Array] {
  const plan = compileKernelPlan(system, 1);
  const n = state.count;
  const a: [Float64Array, Float64Array, Float64Array] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const { px, py, pz, vx, vy, vz, mass, radius } = state;
  for (let i = 0; i < n; i++) {
    const v = [vx[i], vy[i], vz[i]];
    for (let k = 0; k < 3; k++) a[k][i] += plan.gravity[k] - plan.drag * v[k];
  }
  for (const { G, eps2 } of plan.pairwise) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const d = [px[j] - px[i], py[j] - py[i], pz[j] - pz[i]];
        const r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2] + eps2;
        for (let k = 0; k < 3; k++) a[k][i] += (G * mass[j] * d[k]) / (r2 * Math.sqrt(r2));
      }
    }
  }
  for (const term of plan.external) {
    const names = ['x', 'y', 'z', 't', 'm', 'radius', ...term.columns];
    const force = term.force.map((f) => compileFunction(f, names));
    const columns = term.columns.map((c) => state.attribute(c));
    for (let i = 0; i < n; i++) {
      const args = [px[i], py[i], pz[i], time, mass[i], radius[i], ...columns.map((c) => c[i])];
      for (let k = 0; k < 3; k++) a[k][i] += force[k](...args) / mass[i];
    }
  }
  for (const term of plan.fields) {
    const names = ['x', 'y', 'z', 'vx', 'vy', 'vz', 't', 'm', 'radius', ...term.columns];
    const accel = term.acceleration.map((f) => compileFunction(f, names));
    const columns = term.columns.map((c) => state.attribute(c));
    for (let i = 0; i < n; i++) {
      const args = [px[i], py[i], pz[i], vx[i], vy[i], vz[i], time, mass[i], radius[i], ...columns.map((c) => c[i])];
      for (let k = 0; k < 3; k++) a[k][i] += accel[k](...args);
    }
  }
  const image = plan.periodic ? nearestImage(plan.periodic) : (d: number[]) => d;
  const twoBody = (columns: readonly string[]) => {
    const names = ['r'];
    const readers: ((i: number, j: number) => number)[] = [];
    for (const base of ['m', 'radius', ...columns]) {
      const col = base === 'm' ? mass : base === 'radius' ? radius : state.attribute(base);
      names.push(`${base}1`, `${base}2`);
      readers.push(
        (i) => col[i],
        (_i, j) => col[j],
      );
    }
    return { names, readers };
  };
  for (const term of plan.pairs) {
    const { names, readers } = twoBody(term.columns);
    const fScale = compileFunction(term.fScale, names);
    const excluded = term.excludeBonds ? bondedPairs(state) : null;
    const rc2 = term.cutoff === null ? Infinity : term.cutoff * term.cutoff;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j || excluded?.has(Math.min(i, j) * n + Math.max(i, j))) continue;
        const d = image([px[j] - px[i], py[j] - py[i], pz[j] - pz[i]]);
        const r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
        if (!(r2 < rc2)) continue;
        const s = fScale(Math.sqrt(r2), ...readers.map((read) => read(i, j)));
        for (let k = 0; k < 3; k++) a[k][i] += (s * d[k]) / mass[i];
      }
    }
  }
  for (const term of plan.bonds) {
    const table = state.bonds(term.group);
    if (!table) continue;
    const { names, readers } = twoBody(term.columns);
    const fScale = compileFunction(term.fScale, [...names, ...term.perBond]);
    for (let b = 0; b < table.count; b++) {
      const i = table.i[b];
      const j = table.j[b];
      const d = image([px[j] - px[i], py[j] - py[i], pz[j] - pz[i]]);
      const r = Math.hypot(d[0], d[1], d[2]);
      const s = fScale(r, ...readers.map((read) => read(i, j)), ...term.perBond.map((name) => table.params[name][b]));
      for (let k = 0; k < 3; k++) {
        a[k][i] += (s * d[k]) / mass[i];
        a[k][j] -= (s * d[k]) / mass[j];
      }
    }
  }
  return a;
}

function nearestImage(box: PeriodicBox): (d: number[]) => number[] {
  return (d) => d.map((x, k) => x - box.length[k] * Math.round(x / box.length[k]));
}

/** The largest |a_gpu − a_ref| over all particles and axes, relative to the largest |a_ref|. */
export function accelerationError(
  gpu: readonly ArrayLike<number>[],
  reference: readonly ArrayLike<number>[],
): { relative: number; at: string } {
  let scale = 0;
  for (const column of reference) for (let i = 0; i < column.length; i++) scale = Math.max(scale, Math.abs(column[i]));
  let worst = { relative: 0, at: 'none' };
  reference.forEach((column, k) => {
    for (let i = 0; i < column.length; i++) {
      const relative = Math.abs(gpu[k][i] - column[i]) / scale;
      if (!(relative <= worst.relative)) worst = { relative, at: `particle ${i} axis ${'xyz'[k]}: ${gpu[k][i]} vs ${column[i]}` };
    }
  });
  return worst;
}

/**
 * `n` particles at rest on a jittered cubic lattice of spacing `spacing` (no two closer than
 * spacing·(1 − 2·jitter)), starting at `origin`, masses in [0.5, 2], with the given attributes.
 */
export function jitteredLattice(
  seed: number,
  n: number,
  spacing: number,
  jitter: number,
  options: { origin?: [number, number, number]; attributes?: Record<string, [number, number]> } = {},
): ParticleState {
  const random = new Random(seed);
  const side = Math.ceil(Math.cbrt(n));
  const origin = options.origin ?? [0, 0, 0];
  const position: [number, number, number][] = [];
  for (let k = 0; position.length < n; k++) {
    const cell = [k % side, Math.floor(k / side) % side, Math.floor(k / side / side)];
    position.push(cell.map((c, axis) => origin[axis] + (c + 0.5 + random.uniform(-jitter, jitter)) * spacing) as [number, number, number]);
  }
  const attributes: Record<string, number[]> = {};
  for (const [name, [lo, hi]] of Object.entries(options.attributes ?? {})) attributes[name] = position.map(() => random.uniform(lo, hi));
  return ParticleState.from({ position, mass: position.map(() => random.uniform(0.5, 2)), attributes });
}

/**
 * A seeded generator (mulberry32) for these tests' configurations; local, so that the browser
 * tests load nothing Node-only.
 */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
}
