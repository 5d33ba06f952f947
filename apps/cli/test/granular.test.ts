import { join } from 'node:path';
import { computeDiagnostics, loadSnapshot } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../dist/random.js';
import { findScenario } from '../dist/scenarios/index.js';
import { granularGeometry, pileShape, RADIUS, RESTITUTION, STIFFNESS } from '../dist/scenarios/granular.js';
import { cli, tempDir } from './helpers.js';

const scenario = findScenario('granular');

function build(particles = scenario.defaults.particles) {
  const options = { particles, integrator: scenario.defaults.integrator };
  return { system: scenario.system(options), state: scenario.state({ ...options, random: new SeededRandom(1) }) };
}

describe('granular scenario', () => {
  it('is gravity, soft-sphere contacts (hooke, restitution) and walls; nothing declared conserved', () => {
    const { system } = build();
    expect(system.rules.map((r) => r.kind)).toEqual(['uniformGravity', 'contacts', 'bounds']);
    const [, soft, walls] = system.rules;
    if (soft.kind !== 'contacts' || walls.kind !== 'bounds') throw new Error('unexpected rule kinds');
    expect(soft.options).toEqual({ model: 'hooke', stiffness: STIFFNESS, restitution: RESTITUTION });
    const { width, height } = granularGeometry(200);
    expect(walls.options).toMatchObject({ min: [0, 0, 0], max: [width, height, width], restitution: RESTITUTION });
    expect(system.conserves).toEqual([]);
  });

  it('pours the spheres from a loose lattice inside the box, none touching at the start', () => {
    for (const n of [1, 7, 200, 1000]) {
      const { state } = build(n);
      const { width, height } = granularGeometry(n);
      expect(state.count).toBe(n);
      for (let i = 0; i < n; i++) {
        for (const [x, hi] of [
          [state.px[i], width],
          [state.py[i], height],
          [state.pz[i], width],
        ]) {
          expect(x).toBeGreaterThanOrEqual(RADIUS);
          expect(x).toBeLessThanOrEqual(hi - RADIUS);
        }
      }
      expect(pileShape(state).deepestOverlap).toBe(0);
    }
  });
});

describe('brokenrecord run granular', () => {
  const dir = tempDir();

  it('settles into a pile: inside the box, far below where it started, contacts carrying the weight with shallow overlaps', async () => {
    const out = join(dir, 'granular.brsnap');
    const r = cli(['run', 'granular', '--backend', 'ts', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^granular: 200 particles, verlet, dt 0.0005, steps 0 → 12000, backend ts$/m);
    expect(r.stdout).toContain('contract: nothing declared, nothing judged');
    const { state } = await loadSnapshot(out);
    const start = build().state;
    const { width, height } = granularGeometry(200);
    for (let i = 0; i < state.count; i++) {
      expect(state.px[i] >= RADIUS && state.px[i] <= width - RADIUS).toBe(true);
      expect(state.py[i] >= RADIUS && state.py[i] <= height - RADIUS).toBe(true);
      expect(state.pz[i] >= RADIUS && state.pz[i] <= width - RADIUS).toBe(true);
    }
    const before = pileShape(start);
    const after = pileShape(state);
    // 200 spheres on a 5×5 floor: about 8 layers of ~0.9 each once packed, from 13 loose ones.
    expect(after.top).toBeLessThan(0.5 * before.top);
    expect(after.meanHeight).toBeLessThan(5);
    expect(after.deepestOverlap).toBeGreaterThan(0);
    expect(after.deepestOverlap).toBeLessThan(0.1 * RADIUS);
    const system = scenario.system({ particles: 200, integrator: 'verlet' });
    expect(computeDiagnostics(state, system).kinetic).toBeLessThan(0.25 * computeDiagnostics(start, system).kinetic);
  });
});
