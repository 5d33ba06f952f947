import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeDiagnostics, loadSnapshot } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../dist/random.js';
import { findScenario } from '../dist/scenarios/index.js';
import { cli, tempDir } from './helpers.js';
import { BEAD_MASS, catenarySag, chainShape, LINK, PIN_K, SPAN, SPRING_K, SWAY } from '../dist/scenarios/springs.js';

const scenario = findScenario('springs');

function build(particles = scenario.defaults.particles) {
  const options = { particles, integrator: scenario.defaults.integrator };
  return { system: scenario.system(options), state: scenario.state({ ...options, random: new SeededRandom(1) }) };
}

describe('springs scenario', () => {
  it('is gravity, harmonic bonds, a harmonic pin trap read from attributes, and drag; nothing declared conserved', () => {
    const { system } = build();
    expect(system.rules.map((r) => r.kind)).toEqual(['uniformGravity', 'bondForce', 'externalForce', 'drag']);
    const [gravity, bonds, pins, drag] = system.rules;
    if (gravity.kind !== 'uniformGravity' || bonds.kind !== 'bondForce' || pins.kind !== 'externalForce' || drag.kind !== 'drag') {
      throw new Error('unexpected rule kinds');
    }
    expect(gravity.options.g).toEqual([0, -9.81, 0]);
    expect(bonds.options).toMatchObject({ energy: '0.5*k*(r - r0)^2', parameters: { k: SPRING_K, r0: LINK }, group: 'bonds' });
    expect(pins.options).toMatchObject({ perParticle: ['pin', 'ax', 'ay', 'az'], parameters: { kpin: PIN_K } });
    expect(drag.options.k).toBeGreaterThan(0);
    expect(system.conserves).toEqual([]);
    expect(scenario.tolerances).toEqual({});
  });

  it('builds a chain: bead i bonded to i + 1, the two end beads pinned to anchors one span apart', () => {
    for (const n of [3, 4, 41, 100]) {
      const { state } = build(n);
      expect(state.count).toBe(n);
      const table = state.bonds('bonds')!;
      expect(table.count).toBe(n - 1);
      expect(Array.from(table.i)).toEqual(Array.from({ length: n - 1 }, (_, b) => b));
      expect(Array.from(table.j)).toEqual(Array.from({ length: n - 1 }, (_, b) => b + 1));
      const span = SPAN * (n - 1) * LINK;
      const pin = Array.from(state.attribute('pin'));
      expect(pin).toEqual(Array.from({ length: n }, (_, i) => (i === 0 || i === n - 1 ? 1 : 0)));
      expect([state.attribute('ax')[0], state.attribute('ay')[0], state.attribute('az')[0]]).toEqual([0, 0, 0]);
      expect(state.attribute('ax')[n - 1]).toBeCloseTo(span, 5);
      // The ends start on their anchors, every link at its rest length (the one across the V's
      // tip is a chord, a little shorter), below the pins.
      expect([state.px[0], state.py[0], state.px[n - 1], state.py[n - 1]].map((v) => Number(v.toFixed(5)))).toEqual([
        0,
        0,
        Number(span.toFixed(5)),
        0,
      ]);
      for (let b = 0; b < n - 1; b++) {
        const r = Math.hypot(state.px[b + 1] - state.px[b], state.py[b + 1] - state.py[b], state.pz[b + 1] - state.pz[b]);
        expect(r).toBeLessThanOrEqual(LINK * (1 + 2e-5)); // float32 coordinates up to ~40
        expect(r).toBeGreaterThanOrEqual(LINK * SPAN * (1 - 2e-5)); // the tip chord, at even n
      }
      expect(Array.from(state.py).every((y) => y <= 0)).toBe(true);
      expect(Array.from(state.mass).every((m) => m === Math.fround(BEAD_MASS))).toBe(true);
      // Pushed sideways, the middle fastest (v_x = sin(π·s/L)); the pinned ends at rest.
      for (let i = 0; i < n; i++) expect(state.vx[i]).toBeCloseTo(SWAY * Math.sin((Math.PI * i) / (n - 1)), 6);
      expect([state.vx[0], state.vx[n - 1]]).toEqual([0, 0]);
      expect([...state.vy, ...state.vz].every((v) => v === 0)).toBe(true);
    }
  });

  it('raises fewer than three beads to three and says so', () => {
    expect(build(1).state.count).toBe(3);
    expect(scenario.notes!({ particles: 2, integrator: 'verlet' }).join('')).toContain('--particles 2 raised to 3');
    expect(scenario.notes!({ particles: 41, integrator: 'verlet' }).join('')).not.toContain('raised');
  });

  it('catenarySag solves length = 2c·sinh(span/2c) for the sag c·(cosh(span/2c) − 1)', () => {
    for (const [c, span] of [
      [5, 10],
      [1, 10],
      [40, 3],
      [0.2, 1],
    ]) {
      const length = 2 * c * Math.sinh(span / (2 * c));
      expect(catenarySag(length, span) / (c * (Math.cosh(span / (2 * c)) - 1))).toBeCloseTo(1, 9);
    }
    expect(catenarySag(10, 10)).toBeNaN();
    expect(catenarySag(9, 10)).toBeNaN();
  });

  it('reads the V at the start: its tip is the lowest point, deeper than the catenary the chain settles into', () => {
    const { system, state } = build(41);
    const shape = chainShape(state);
    // Chain length 20 between pins 16 apart: the V's tip is sqrt(10² − 8²) = 6 below them.
    expect(shape.lowest).toBeCloseTo(-6, 5);
    expect(shape.sag).toBeCloseTo(6, 5);
    expect(shape.catenarySag).toBeGreaterThan(5);
    expect(shape.catenarySag).toBeLessThan(6);
    expect(Math.abs(shape.maxStretch)).toBeLessThan(1e-5);
    const readouts = scenario.readouts!(state, computeDiagnostics(state, system));
    expect(readouts.map((r) => r.name)).toEqual([
      'lowest point y',
      'sag below the pins',
      'catenary sag (same length)',
      'longest link stretch',
      'kinetic energy',
    ]);
    // ½·m·Σ sin²(π·i/40) over the 41 beads = ½ · 0.1 · 20.
    expect(readouts[4].value).toBeCloseTo(0.5 * BEAD_MASS * SWAY ** 2 * 20, 6);
  });
});

describe('brokenrecord run springs', () => {
  const dir = tempDir();

  it('lets the swaying V settle into a catenary below the pins, and says nothing is declared', async () => {
    const out = join(dir, 'springs.brsnap');
    const r = cli(['run', 'springs', '--backend', 'ts', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^springs: 41 particles, verlet, dt 0.002, steps 0 → 10000, backend ts$/m);
    expect(r.stdout).toMatch(/^chain of 41 beads \(mass 0.1\), 40 springs/m);
    expect(r.stdout).toContain('conservation (contract: none declared)');
    expect(r.stdout).toContain('contract: nothing declared, nothing judged');
    const { state, step } = await loadSnapshot(out);
    expect(step).toBe(10_000);
    // The pins held: both end beads within a few thousandths of their anchors.
    const span = SPAN * 40 * LINK;
    expect(Math.hypot(state.px[0], state.py[0], state.pz[0])).toBeLessThan(5e-3);
    expect(Math.hypot(state.px[40] - span, state.py[40], state.pz[40])).toBeLessThan(5e-3);
    // Every bead hangs below the pins, the middle one lowest, and the chain has come to rest in
    // the catenary of its (stretched) length.
    for (let i = 1; i < 40; i++) expect(state.py[i]).toBeLessThan(state.py[0]);
    const shape = chainShape(state);
    expect(shape.lowest).toBeCloseTo(state.py[20], 6);
    expect(Math.abs(shape.sag - shape.catenarySag) / shape.catenarySag).toBeLessThan(0.01);
    expect(shape.sag).toBeLessThan(6); // above the V's tip it started from
    expect(shape.maxStretch).toBeGreaterThan(0);
    expect(shape.maxStretch).toBeLessThan(0.05);
    const d = computeDiagnostics(state, scenario.system({ particles: 41, integrator: 'verlet' }));
    expect(d.kinetic).toBeLessThan(1e-4);
    // The report shows the same numbers at the end.
    const row = (name: string) =>
      r.stdout
        .split('\n')
        .find((l) => l.startsWith(`${name} `))!
        .slice(name.length)
        .trim()
        .split(/\s{2,}/)
        .map(Number);
    expect(row('lowest point y')).toEqual([-6, Number(shape.lowest.toPrecision(6))]);
    expect(row('sag below the pins')[1]).toBeCloseTo(shape.sag, 4);
  });

  it('resumes bit for bit: the bond table and the pin attributes travel in the snapshot', () => {
    const [first, resumed, whole] = ['first', 'resumed', 'whole'].map((n) => join(dir, `${n}.brsnap`));
    expect(cli(['run', 'springs', '--backend', 'ts', '--steps', '1200', '--out', first]).code).toBe(0);
    const r = cli(['run', 'springs', '--backend', 'ts', '--resume', first, '--steps', '1800', '--out', resumed]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('steps 1200 → 3000');
    expect(cli(['run', 'springs', '--backend', 'ts', '--steps', '3000', '--out', whole]).code).toBe(0);
    expect(readFileSync(resumed).equals(readFileSync(whole))).toBe(true);
  });
});
