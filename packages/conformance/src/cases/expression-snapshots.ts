import {
  bondForce,
  defineSystem,
  externalForce,
  field,
  pairForce,
  ParticleState,
  periodic,
  resumeSimulation,
  ruleToJSON,
  type RuleKind,
  type Simulation,
  type SystemDefinition,
} from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { expectBitwiseEqual, expectColumnsClose } from '../helpers/compare.js';
import { Random } from '../helpers/random.js';

/**
 * Snapshots carry what rules written as expressions need besides the eight columns: attribute
 * columns, bond tables with their per-bond values, the rules' expressions and the time (a
 * potential may read t). All of it round-trips bit for bit, and a resumed run continues exactly.
 */

const bits = (a: Float32Array | Int32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** Attributes and bond tables of two states are the same names holding the same bits. */
function expectSameExtras(actual: ParticleState, expected: ParticleState, what: string): void {
  expect(actual.attributeNames, `${what}: attribute names`).toEqual(expected.attributeNames);
  for (const name of expected.attributeNames) {
    expect(bits(actual.attribute(name)), `${what}: attribute ${name}`).toEqual(bits(expected.attribute(name)));
  }
  expect([...actual.bondGroups].sort(), `${what}: bond groups`).toEqual([...expected.bondGroups].sort());
  for (const group of expected.bondGroups) {
    const a = actual.bonds(group)!;
    const b = expected.bonds(group)!;
    expect(a.count, `${what}: bonds ${group} count`).toBe(b.count);
    expect(bits(a.i), `${what}: bonds ${group} i`).toEqual(bits(b.i));
    expect(bits(a.j), `${what}: bonds ${group} j`).toEqual(bits(b.j));
    expect(Object.keys(a.params).sort(), `${what}: bonds ${group} per-bond names`).toEqual(Object.keys(b.params).sort());
    for (const name of Object.keys(b.params)) expect(bits(a.params[name]), `${what}: bonds ${group}.${name}`).toEqual(bits(b.params[name]));
  }
}

/** 27 particles on a jittered 3×3×3 lattice of spacing 1.3 inside [0, 4)³, with attributes. */
function latticeState(seed: number): ParticleState {
  const random = new Random(seed);
  const position: number[][] = [];
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) position.push([i, j, k].map((c) => 0.5 + 1.3 * c + random.uniform(-0.1, 0.1)));
  return ParticleState.from({
    position,
    velocity: position.map(() => [random.gaussian() * 0.3, random.gaussian() * 0.3, random.gaussian() * 0.3]),
    mass: position.map(() => random.uniform(0.5, 2)),
    attributes: {
      sigma: position.map(() => random.uniform(0.9, 1.1)),
      epsilon: position.map(() => random.uniform(0.5, 1.5)),
      q: position.map(() => random.uniform(-1, 1)),
      // Read by no rule: it must travel all the same.
      tag: position.map((_, i) => i * 0.1 + Math.PI),
    },
  });
}

export function expressionSnapshotCases(ctx: SuiteContext): void {
  const resumeOptions = () => ({
    backend: ctx.backend.name,
    ...(ctx.options.threads !== undefined ? { threads: ctx.options.threads } : {}),
    ...(ctx.options.monitor !== undefined ? { monitor: ctx.options.monitor } : {}),
  });

  /** Snapshot after 10 steps; restore into another simulation and resume; step all three 15 more. */
  async function roundTrip(system: SystemDefinition, make: () => ParticleState, dt: number, exactContinuation: boolean): Promise<void> {
    const initial = make();
    // A bond table no rule reads: it belongs to the state and must travel with it.
    initial.setBonds(
      'decor',
      [
        [1, 5],
        [7, 3],
      ],
      { w: [0.25, 0.75] },
    );
    const original = await ctx.create(system, initial, dt);
    await original.step(10);
    const bytes = await original.snapshot();
    const snapshotState = (await original.read()).clone();
    expect(snapshotState.bonds('bonds')?.count, 'the bond table was installed').toBeGreaterThan(0);

    const other = latticeState(99);
    other.remove([0, 1, 2]);
    const restored = await ctx.create(system, other, dt);
    await restored.restore(bytes);
    const resumed = ctx.track(await resumeSimulation(bytes, resumeOptions()));
    for (const [sim, what] of [
      [restored, 'restored'],
      [resumed, 'resumed'],
    ] as [Simulation, string][]) {
      expect(sim.steps, `${what} step count`).toBe(10);
      expect(sim.time, `${what} time`).toBe(original.time);
      const state = await sim.read();
      expectBitwiseEqual(state, snapshotState, `${what} columns`);
      expectSameExtras(state, snapshotState, what);
    }
    expect(resumed.system.rules.map(ruleToJSON), 'the rules, expressions included').toEqual(system.rules.map(ruleToJSON));
    expect(await resumed.snapshot(), 'a snapshot of the resumed simulation is the same bytes').toEqual(bytes);

    for (const sim of [original, restored, resumed]) await sim.step(15);
    const expected = await original.read();
    for (const [sim, what] of [
      [restored, 'restored'],
      [resumed, 'resumed'],
    ] as [Simulation, string][]) {
      const state = await sim.read();
      if (exactContinuation) expectBitwiseEqual(state, expected, `${what} run after 15 more steps`);
      // A cell grid's neighbour order is the backend's choice (GPU grids fill cells with atomics),
      // so sums over it may round differently between runs: the reference-agreement bound applies.
      else expectColumnsClose(state, expected, 1e-5, `${what} run after 15 more steps`);
      expectSameExtras(state, expected, `${what} after 15 more steps`);
    }
    // The run did something: velocities changed.
    let moved = 0;
    for (let i = 0; i < expected.count; i++) moved = Math.max(moved, Math.abs(expected.vx[i] - snapshotState.vx[i]));
    expect(moved, 'velocities changed after the snapshot').toBeGreaterThan(1e-4);
  }

  describe('snapshots of rules written as expressions', () => {
    const everyKind: RuleKind[] = ['pairForce', 'bondForce', 'externalForce', 'field'];
    it.skipIf(!ctx.supports(...everyKind))(
      'attributes, bonds (per-bond values), expressions and the time round-trip bit for bit; resume continues identically',
      async () => {
        // All-pairs forces (no cutoff) sum in a fixed order on every backend, so two runs from one
        // state are bit-identical; the external potential reads t, so a lost time would show.
        const system = defineSystem({
          integrator: 'verlet',
          rules: [
            pairForce({
              energy: '4*eps*((sig/r)^12 - (sig/r)^6) + 0.1*q1*q2/r; sig = 0.5*(sigma1 + sigma2); eps = sqrt(epsilon1*epsilon2)',
              perParticle: ['sigma', 'epsilon', 'q'],
              exclude: 'bonds',
            }),
            bondForce({
              energy: '0.5*k*(r - r0)^2',
              bonds: [
                [0, 1],
                [1, 2],
                [3, 4],
                [4, 13],
                [13, 22],
              ],
              perBond: { k: [10, 20, 30, 15, 25], r0: [1.3, 1.25, 1.35, 1.3, 1.3] },
            }),
            externalForce({ energy: '0.5*kt*((x - 2)^2 + (y - 2)^2 + (z - 2)^2)*(1 + 0.5*sin(w*t))', parameters: { kt: 0.4, w: 3 } }),
            field({ acceleration: ['q*vy*Bz/m', '-q*vx*Bz/m', '0'], perParticle: ['q'], parameters: { Bz: 1.5 } }),
          ],
        });
        await roundTrip(system, () => latticeState(31), 0.004, true);
      },
    );

    it.skipIf(!ctx.supports('pairForce', 'bondForce', 'periodic'))(
      'a periodic system with cutoff pair forces and bonds round-trips bit for bit and resumes',
      async () => {
        const system = defineSystem({
          integrator: 'verlet',
          rules: [
            pairForce({
              energy: '4*((sig/r)^12 - (sig/r)^6); sig = 0.5*(sigma1 + sigma2)',
              perParticle: ['sigma'],
              cutoff: 1.9,
              shift: true,
            }),
            bondForce({
              energy: '0.5*k*(r - 1.3)^2',
              bonds: [
                [0, 9],
                [9, 18],
                [2, 20],
              ],
              parameters: { k: 40 },
            }),
            periodic({ min: [0, 0, 0], max: [4, 4, 4] }),
          ],
        });
        await roundTrip(system, () => latticeState(32), 0.004, false);
      },
    );
  });
}
