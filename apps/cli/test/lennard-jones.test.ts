import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeDiagnostics, type ParticleState } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../dist/random.js';
import { fccLattice, LJ_CUTOFF, LJ_DENSITY, LJ_TEMPERATURE, MIN_CELLS, temperature } from '../dist/scenarios/lennard-jones.js';
import { findScenario } from '../dist/scenarios/index.js';
import { cli, reportRow } from './helpers.js';

const scenario = findScenario('lennard-jones');

function build(particles = scenario.defaults.particles, seed = 1) {
  const options = { particles, integrator: scenario.defaults.integrator };
  return { system: scenario.system(options), state: scenario.state({ ...options, random: new SeededRandom(seed) }), options };
}

function box(system: ReturnType<typeof build>['system']): number {
  const rule = system.rules.find((r) => r.kind === 'periodic');
  if (rule?.kind !== 'periodic') throw new Error('no periodic rule');
  expect(rule.options.min).toEqual([0, 0, 0]);
  expect(new Set(rule.options.max).size).toBe(1);
  return rule.options.max[0];
}

/** Distances to every other atom under the minimum image, sorted. */
function imageDistances(state: ParticleState, i: number, L: number): number[] {
  const out: number[] = [];
  const wrap = (d: number) => d - L * Math.round(d / L);
  for (let j = 0; j < state.count; j++) {
    if (j !== i) out.push(Math.hypot(wrap(state.px[j] - state.px[i]), wrap(state.py[j] - state.py[i]), wrap(state.pz[j] - state.pz[i])));
  }
  return out.sort((a, b) => a - b);
}

describe('lennard-jones scenario', () => {
  it('is a periodic LJ fluid cut at 2.5 and shifted, on verlet at dt 0.005, declaring energy and momentum', () => {
    const { system } = build();
    expect(scenario.defaults).toMatchObject({ particles: 864, dt: 0.005, integrator: 'verlet' });
    expect(system.integrator).toBe('verlet');
    expect(system.rules.map((r) => r.kind)).toEqual(['pairForce', 'periodic']);
    const pair = system.rules[0];
    if (pair.kind !== 'pairForce') throw new Error('expected pairForce');
    expect(pair.options).toMatchObject({ cutoff: LJ_CUTOFF, shift: true, parameters: { eps: 1, sig: 1 } });
    expect(pair.options.energy).toBe('4*eps*((sig/r)^12 - (sig/r)^6)');
    expect(system.conserves).toEqual(['energy', 'momentum']);
    expect(Object.keys(scenario.tolerances).sort()).toEqual(['energy', 'momentum']);
  });

  it('places 4·k³ atoms on an fcc lattice at density 0.8442 inside the box', () => {
    const { system, state } = build();
    const L = box(system);
    expect(state.count).toBe(4 * 6 ** 3);
    expect(state.count / L ** 3).toBeCloseTo(LJ_DENSITY, 6);
    for (const c of [state.px, state.py, state.pz]) {
      for (const x of c) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThan(L);
      }
    }
    expect(Array.from(state.mass).every((m) => m === 1)).toBe(true);
    // fcc: 12 nearest neighbours at a/√2, then 6 at a, under the minimum image (checked on a few atoms).
    const a = Math.cbrt(4 / LJ_DENSITY);
    for (const i of [0, 1, 437, 863]) {
      const d = imageDistances(state, i, L);
      for (const r of d.slice(0, 12)) expect(r).toBeCloseTo(a / Math.SQRT2, 5);
      for (const r of d.slice(12, 18)) expect(r).toBeCloseTo(a, 5);
      expect(d[18]).toBeGreaterThan(a * 1.1);
    }
  });

  it('rounds --particles to the nearest 4·k³ (k ≥ 3, so the cutoff fits in half the box) and says so', () => {
    expect(MIN_CELLS).toBe(3);
    const cases: [number, number][] = [
      [1, 108],
      [108, 108],
      [200, 256],
      [500, 500],
      [1000, 864],
      [1300, 1372],
      [32_000, 32_000],
    ];
    for (const [asked, count] of cases) {
      expect(fccLattice(asked).count, `--particles ${asked}`).toBe(count);
      const notes = scenario.notes!({ particles: asked, integrator: 'verlet' }).join('\n');
      if (asked === count) expect(notes).not.toMatch(/rounded/);
      else expect(notes).toContain(`--particles ${asked} rounded to ${count}`);
    }
    expect(scenario.notes!({ particles: 10, integrator: 'verlet' }).join('')).toMatch(/k ≥ 3 keeps the cutoff within half the box/);
    // The smallest box really is the smallest core accepts: one cell fewer would break rc ≤ L/2.
    expect(fccLattice(108).box / 2).toBeGreaterThanOrEqual(LJ_CUTOFF);
    expect(((MIN_CELLS - 1) * Math.cbrt(4 / LJ_DENSITY)) / 2).toBeLessThan(LJ_CUTOFF);
    const { system, state } = build(10);
    expect(state.count).toBe(108);
    expect(box(system)).toBeCloseTo(fccLattice(108).box, 12);
  });

  it('starts at temperature 1.44 with exactly zero total momentum', () => {
    for (const particles of [108, 864, 2048]) {
      const { system, state } = build(particles);
      const d = computeDiagnostics(state, system);
      expect(temperature(d.kinetic, state.count)).toBeCloseTo(LJ_TEMPERATURE, 6);
      // Velocities come in exactly opposite pairs: the momentum sums to zero, not to float32 noise.
      expect(d.momentum).toEqual([0, 0, 0]);
      const key = (i: number, s: number) => `${s * state.vx[i]},${s * state.vy[i]},${s * state.vz[i]}`;
      const opposite = new Map<string, number>();
      for (let i = 0; i < state.count; i++) opposite.set(key(i, -1), (opposite.get(key(i, -1)) ?? 0) + 1);
      for (let i = 0; i < state.count; i++) {
        const k = key(i, 1);
        expect(opposite.get(k), `a partner of atom ${i}`).toBeGreaterThan(0);
        opposite.set(k, opposite.get(k)! - 1);
      }
      const readout = scenario.readouts!(state, d)[0];
      expect(readout.name).toMatch(/temperature/);
      expect(readout.value).toBeCloseTo(1.44, 6);
    }
  });

  it('draws Maxwell–Boltzmann velocities: Gaussian components of variance T', () => {
    const { state } = build(4 * 12 ** 3); // 6912 atoms, 20,736 components
    const all = [...state.vx, ...state.vy, ...state.vz];
    const sigma = Math.sqrt(LJ_TEMPERATURE);
    const within = (k: number) => all.filter((v) => Math.abs(v) < k * sigma).length / all.length;
    // Normal: 68.27% within 1σ, 95.45% within 2σ (the sample's standard error is ~0.3%).
    expect(within(1)).toBeCloseTo(0.6827, 1);
    expect(Math.abs(within(1) - 0.6827)).toBeLessThan(0.015);
    expect(Math.abs(within(2) - 0.9545)).toBeLessThan(0.008);
    const fourth = all.reduce((s, v) => s + v ** 4, 0) / all.length;
    expect(fourth / LJ_TEMPERATURE ** 2).toBeGreaterThan(2.8); // kurtosis 3, a uniform draw gives 1.8
    expect(fourth / LJ_TEMPERATURE ** 2).toBeLessThan(3.2);
  });

  it('is rebuilt exactly from its seed, and another seed draws other velocities on the same lattice', () => {
    const cols = (s: ParticleState) => [s.px, s.py, s.pz, s.vx, s.vy, s.vz].map((c) => Array.from(c));
    const a = build(256, 5).state;
    expect(cols(build(256, 5).state)).toEqual(cols(a));
    const b = build(256, 6).state;
    expect(Array.from(b.px)).toEqual(Array.from(a.px));
    expect(Array.from(b.vx)).not.toEqual(Array.from(a.vx));
  });

  it('builds a large lattice straight into the state columns', () => {
    const { state, system } = build(4 * 25 ** 3);
    expect(state.count).toBe(62_500);
    expect(state.count / box(system) ** 3).toBeCloseTo(LJ_DENSITY, 6);
    expect(state.px).toBeInstanceOf(Float32Array);
  });
});

describe('brokenrecord run lennard-jones', () => {
  const readoutRow = (stdout: string, name: string) => {
    const line = stdout.split('\n').find((l) => l.startsWith(`${name} `));
    if (!line) throw new Error(`no readout ${name} in:\n${stdout}`);
    return line
      .slice(name.length)
      .trim()
      .split(/\s{2,}/)
      .map(Number);
  };

  it('reports the lattice, the temperature at the start and the end, and keeps energy and momentum', () => {
    const r = cli(['run', 'lennard-jones', '--backend', 'ts', '--particles', '300', '--steps', '300']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^lennard-jones: 256 particles, verlet, dt 0.005, steps 0 → 300, backend ts$/m);
    expect(r.stdout).toContain('fcc lattice of 4×4×4 cells = 256 atoms (--particles 300 rounded to 256: the fcc box holds 4·k³ atoms)');
    const [start, end] = readoutRow(r.stdout, 'temperature 2K/(3N−3)');
    expect(start).toBeCloseTo(1.44, 5);
    // The lattice melts: half the kinetic energy goes into potential energy, T falls towards ~0.7.
    expect(end).toBeGreaterThan(0.4);
    expect(end).toBeLessThan(1.2);
    const [u0, u1] = readoutRow(r.stdout, 'potential energy per atom');
    expect(u0).toBeLessThan(-6);
    expect(u1).toBeGreaterThan(u0);
    const [e0, e1] = readoutRow(r.stdout, 'total energy per atom');
    expect(Math.abs(e1 - e0)).toBeLessThan(1e-3 * (Math.abs(u0) + 1.5 * 1.44));
    expect(reportRow(r.stdout, 'energy')[4]).toBe('PASS');
    expect(reportRow(r.stdout, 'momentum')[4]).toBe('PASS');
    expect(reportRow(r.stdout, 'angular momentum')[4]).toBe('not declared');
    expect(r.stdout).toContain('conservation (contract: energy, momentum)');
    expect(r.stdout).toContain('contract kept');
  });

  it('resumes bit for bit from a snapshot of the periodic fluid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brokenrecord-lj-'));
    try {
      const [first, resumed, whole] = ['first', 'resumed', 'whole'].map((n) => join(dir, `${n}.brsnap`));
      expect(cli(['run', 'lennard-jones', '--backend', 'ts', '--particles', '108', '--steps', '40', '--out', first]).code).toBe(0);
      const r = cli(['run', 'lennard-jones', '--backend', 'ts', '--resume', first, '--steps', '60', '--out', resumed]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('lennard-jones: 108 particles, verlet, dt 0.005, steps 40 → 100');
      expect(cli(['run', 'lennard-jones', '--backend', 'ts', '--particles', '108', '--steps', '100', '--out', whole]).code).toBe(0);
      expect(readFileSync(resumed).equals(readFileSync(whole))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
