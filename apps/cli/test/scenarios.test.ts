import { computeDiagnostics, type ParticleState } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../dist/random.js';
import { ChunkPlanner, nextStop, tickFor } from '../dist/run/schedule.js';
import { findScenario, SCENARIOS } from '../dist/scenarios/index.js';

function build(name: string, particles?: number, seed = 1) {
  const scenario = findScenario(name);
  const options = { particles: particles ?? scenario.defaults.particles, integrator: scenario.defaults.integrator };
  return { system: scenario.system(options), state: scenario.state({ ...options, random: new SeededRandom(seed) }) };
}

const columns = (s: ParticleState) => [s.px, s.py, s.pz, s.vx, s.vy, s.vz, s.mass, s.radius].map((c) => Array.from(c));

describe('scenarios', () => {
  it('every declared quantity has a tolerance, and every tolerance belongs to a declared quantity', () => {
    for (const scenario of SCENARIOS) {
      const { system } = build(scenario.name, Math.min(scenario.defaults.particles, 50));
      expect(Object.keys(scenario.tolerances).sort(), scenario.name).toEqual([...system.conserves].sort());
    }
  });

  it('seed: N particles at (0,0,i) moving at (1,0,0), mass 1, under g = (0,-9.81,0), semi-implicit Euler', () => {
    const { system, state } = build('seed', 5);
    expect(state.count).toBe(5);
    expect(columns(state)).toEqual([
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
      [0, 1, 2, 3, 4],
      [1, 1, 1, 1, 1],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
      [1, 1, 1, 1, 1],
      [0, 0, 0, 0, 0],
    ]);
    expect(system.integrator).toBe('euler');
    expect(system.rules.map((r) => [r.kind, r.options])).toEqual([['uniformGravity', { g: [0, -9.81, 0] }]]);
    expect(findScenario('seed').defaults).toMatchObject({ particles: 10_000, dt: 0.01, steps: 1000 });
  });

  it('solar-system: the sun and three bodies as specified, total momentum exactly zero', () => {
    const { system, state } = build('solar-system');
    expect(Array.from(state.mass)).toEqual([1000, 1, 0.5, 10]);
    expect(Array.from(state.px)).toEqual([0, 50, 80, 150]);
    expect(Array.from(state.vy)).toEqual([-0.03125, 4.5, 3.5, 2.5]);
    expect(computeDiagnostics(state, system).momentum).toEqual([0, 0, 0]);
    expect(system.conserves).toEqual(['energy', 'momentum', 'angularMomentum']);
  });

  it('galaxy: a central 1e4 mass and n orbiters on near-circular orbits in a thin softened disc', () => {
    const n = 300;
    const { system, state } = build('galaxy', n);
    expect(state.count).toBe(n + 1);
    expect(state.mass[0]).toBe(1e4);
    const rule = system.rules[0];
    expect(rule.kind === 'pairwiseGravity' && rule.options.softening).toBeGreaterThan(0);
    const d = computeDiagnostics(state, system);
    // Zero up to the float32 rounding of the stored velocities, relative to Σ m|v|.
    let scale = 0;
    for (let i = 0; i <= n; i++) scale += state.mass[i] * Math.hypot(state.vx[i], state.vy[i], state.vz[i]);
    expect(Math.hypot(...d.momentum) / scale).toBeLessThan(1e-7);
    for (let i = 1; i <= n; i++) {
      const r = Math.hypot(state.px[i], state.py[i]);
      const speed = Math.hypot(state.vx[i], state.vy[i], state.vz[i]);
      expect(r).toBeGreaterThanOrEqual(20);
      expect(r).toBeLessThanOrEqual(100);
      expect(Math.abs(state.pz[i])).toBeLessThanOrEqual(1);
      // Tangential velocity (v · r̂ ≈ 0) close to the Keplerian speed of the central mass alone.
      expect(Math.abs(state.vx[i] * state.px[i] + state.vy[i] * state.py[i]) / (r * speed)).toBeLessThan(1e-6);
      expect(speed / Math.sqrt(1e4 / r)).toBeGreaterThan(0.99);
      expect(speed / Math.sqrt(1e4 / r)).toBeLessThan(1.01);
    }
  });

  it('cluster: a Plummer sphere at rest at the origin, near virial equilibrium (2K ≈ −U)', () => {
    const { system, state } = build('cluster', 800);
    const d = computeDiagnostics(state, system);
    expect(d.mass).toBeCloseTo(1, 5);
    expect((2 * d.kinetic) / -d.potential).toBeGreaterThan(0.85);
    expect((2 * d.kinetic) / -d.potential).toBeLessThan(1.15);
    expect(Math.hypot(...d.momentum)).toBeLessThan(1e-6);
    expect(Math.hypot(...d.centerOfMass)).toBeLessThan(1e-6);
    const rule = system.rules[0];
    expect(rule.kind === 'pairwiseGravity' && rule.options.softening).toBeGreaterThan(0);
  });

  it('collision-box: non-overlapping spheres inside the box, elastic contacts and walls, no gravity', () => {
    for (const n of [1, 2, 9, 65, 500]) {
      const { system, state } = build('collision-box', n);
      expect(system.rules.map((r) => r.kind)).toEqual(['collisions', 'bounds']);
      const bounds = system.rules[1];
      if (bounds.kind !== 'bounds') throw new Error('expected bounds');
      expect(bounds.options.restitution).toBe(1);
      expect(system.conserves).toEqual(['energy']);
      const { min, max } = bounds.options;
      let outside = 0;
      let overlapping = 0;
      for (let i = 0; i < n; i++) {
        const p = [state.px[i], state.py[i], state.pz[i]];
        const r = state.radius[i];
        if (p.some((x, k) => x - r < min[k] || x + r > max[k])) outside++;
        for (let j = 0; j < i; j++) {
          if (Math.hypot(state.px[j] - p[0], state.py[j] - p[1], state.pz[j] - p[2]) < r + state.radius[j]) overlapping++;
        }
      }
      expect({ n, outside, overlapping }).toEqual({ n, outside: 0, overlapping: 0 });
    }
  });

  it('random scenarios are rebuilt exactly from their seed, and differ between seeds', () => {
    for (const name of ['galaxy', 'cluster', 'collision-box']) {
      expect(columns(build(name, 40, 9).state)).toEqual(columns(build(name, 40, 9).state));
      expect(columns(build(name, 40, 9).state)).not.toEqual(columns(build(name, 40, 10).state));
    }
  });
});

describe('step schedule', () => {
  it('pauses at every sample step, every frame step and exactly at the end', () => {
    const plan = { start: 0, end: 1050, tick: tickFor(1050), chunk: 1000, every: 400 };
    const stops: number[] = [];
    for (let at = 0; at < plan.end;) stops.push((at = nextStop(at, plan)));
    expect(plan.tick).toBe(11);
    expect(stops.filter((s) => s % 400 === 0)).toEqual([400, 800]);
    expect(stops.filter((s) => s % 11 === 0)).toHaveLength(95);
    expect(stops[stops.length - 1]).toBe(1050);
    // Frames count from step 0 of the whole run: a run resumed at 150 pauses at 200, not 250.
    expect(nextStop(150, { start: 150, end: 1000, tick: 1000, chunk: 1000, every: 100 })).toBe(200);
    // Small chunks keep pauses frequent between samples.
    expect(nextStop(0, { start: 0, end: 1000, tick: 500, chunk: 3 })).toBe(3);
    expect(tickFor(0)).toBe(1);
    expect(tickFor(7)).toBe(1);
  });

  it('sizes chunks for about one pause per target interval, growing at most 4x at a time', () => {
    const planner = new ChunkPlanner(10_000, 0.2);
    expect(planner.chunk).toBe(1);
    planner.record(1, 0.0001); // 10,000 steps/s would allow 2000 per 0.2 s: growth is capped at 4
    expect(planner.chunk).toBe(4);
    planner.record(4, 0.0004);
    expect(planner.chunk).toBe(16);
    planner.record(1000, 1); // 1000 steps/s: 200 per 0.2 s
    expect(planner.chunk).toBe(200);
    planner.record(5000, 0.01); // very fast: capped by the sample interval
    expect(planner.chunk).toBe(10_000);
    planner.record(10, 100); // very slow: never below one step
    expect(planner.chunk).toBe(1);
  });
});
