import {
  bounds,
  collisions,
  COLUMNS,
  createSimulation,
  defineSystem,
  drag,
  pairwiseGravity,
  uniformGravity,
  type Rule,
  type Simulation,
} from '@brokenrecord/core';
import '@brokenrecord/backend-avx2';
import '@brokenrecord/backend-ts';
import { Random, expectNear } from '@brokenrecord/conformance';
import { expect, it } from 'vitest';
import { describeNative, randomState, usableIsas } from './helpers.js';

// Thousands of small random systems driven through random call sequences (steps, add, remove,
// read, diagnostics, snapshot/restore, dispose twice), each compared with the TypeScript
// reference after every call. Seeded: a failure names the case to replay.
// BROKENRECORD_FUZZ_CASES raises the count (e.g. for the sanitizer run or a soak).
const CASES = Number(process.env.BROKENRECORD_FUZZ_CASES ?? 1500);
const SEED = Number(process.env.BROKENRECORD_FUZZ_SEED ?? 20240611);

function randomRules(rng: Random): Rule[] {
  const rules: Rule[] = [];
  if (rng.next() < 0.6) rules.push(uniformGravity({ g: [rng.uniform(-3, 3), rng.uniform(-10, 0), rng.uniform(-3, 3)] }));
  if (rng.next() < 0.3) rules.push(drag({ k: rng.uniform(0, 1) }));
  if (rng.next() < 0.35) rules.push(pairwiseGravity({ G: rng.uniform(0.05, 1), softening: rng.uniform(0.2, 0.6) }));
  if (rng.next() < 0.4) rules.push(collisions({ restitution: rng.pick([1, rng.uniform(0, 1)]) }));
  if (rng.next() < 0.5) {
    const lo = rng.uniform(2, 3);
    rules.push(
      bounds({
        min: [-lo, -lo, -rng.uniform(2, 3)],
        max: [rng.uniform(2, 3), lo, rng.uniform(2, 3)],
        restitution: rng.pick([1, rng.uniform(0, 1)]),
      }),
    );
  }
  return rng.next() < 0.5 ? rules : rules.reverse();
}

/**
 * <= 1e-5 relative to each column's magnitude, as the conformance suite compares, but never
 * relative to less than the scene's own scale (box ~2.5, speeds ~2): a column whose values all
 * happen to sit near 0 (a lone particle resting on y = 0) must not turn float rounding into a
 * "relative" failure.
 */
async function compare(a: Simulation, b: Simulation, what: string): Promise<void> {
  const [x, y] = [await a.read(), await b.read()];
  expect(x.count, `${what}: count`).toBe(y.count);
  for (const c of COLUMNS) {
    const got = x.column(c),
      want = y.column(c);
    let scale = 1;
    for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
    for (let i = 0; i < want.length; i++) {
      const diff = Math.abs(got[i] - want[i]);
      if (!(diff <= 1e-5 * scale))
        expect.fail(`${what}: ${c}[${i}] = ${got[i]}, expected ${want[i]} (|diff| ${diff}, allowed ${1e-5 * scale})`);
    }
  }
}

describeNative('fuzz against the TypeScript reference', () => {
  it(`${CASES} random systems and call sequences (seed ${SEED})`, async () => {
    const isas = usableIsas();
    for (let c = 0; c < CASES; c++) {
      const rng = new Random(SEED + c);
      const what = `case ${c} (seed ${SEED + c})`;
      const rules = randomRules(rng);
      const system = defineSystem({ integrator: rng.pick(['euler', 'verlet'] as const), rules });
      const dt = rng.uniform(0.001, 0.01);
      const state = randomState(rng, rng.int(13), { half: 1.8, speed: 2, rMin: 0, rMax: rng.pick([0, 0.3]) });
      // Every case runs on a random instruction set, forced the way a user would force it.
      const isa = rng.pick(isas);
      process.env.BROKENRECORD_AVX2_ISA = isa;
      const a = await createSimulation({ system, state, dt, backend: 'avx2', threads: 1 + rng.int(3) });
      delete process.env.BROKENRECORD_AVX2_ISA;
      const b = await createSimulation({ system, state: state.clone(), dt, backend: 'ts', threads: 1 });
      let snapshots: [Uint8Array, Uint8Array] | null = null;
      const calls = 3 + rng.int(6);
      for (let k = 0; k < calls; k++) {
        const op = rng.int(7);
        const step = `${what}, call ${k}`;
        if (op <= 2) {
          const n = rng.int(15);
          await a.step(n);
          await b.step(n);
          await compare(a, b, `${step}: step(${n})`);
        } else if (op === 3) {
          const count = 1 + rng.int(3);
          const input = randomState(rng, count, { half: 1.8, speed: 2, rMax: 0.3 });
          (await a.read()).add({
            position: Array.from({ length: count }, (_, i) => [input.px[i], input.py[i], input.pz[i]]),
            velocity: Array.from({ length: count }, (_, i) => [input.vx[i], input.vy[i], input.vz[i]]),
            mass: Array.from(input.mass),
            radius: Array.from(input.radius),
          });
          (await b.read()).add({
            position: Array.from({ length: count }, (_, i) => [input.px[i], input.py[i], input.pz[i]]),
            velocity: Array.from({ length: count }, (_, i) => [input.vx[i], input.vy[i], input.vz[i]]),
            mass: Array.from(input.mass),
            radius: Array.from(input.radius),
          });
        } else if (op === 4) {
          const count = (await a.read()).count;
          if (count > 0) {
            const drop = Array.from({ length: 1 + rng.int(2) }, () => rng.int(count));
            (await a.read()).remove(drop);
            (await b.read()).remove(drop);
          }
        } else if (op === 5) {
          const [da, db] = [await a.diagnostics(), await b.diagnostics()];
          const scale = Math.abs(db.kinetic) + Math.abs(db.potential) + 1e-30;
          expectNear(da.kinetic, db.kinetic, 1e-5 * scale, `${step}: kinetic`);
          expectNear(da.potential, db.potential, 1e-5 * scale, `${step}: potential`);
          expectNear(da.mass, db.mass, 1e-9 * db.mass + 1e-30, `${step}: mass`);
        } else if (snapshots === null) {
          snapshots = [await a.snapshot(), await b.snapshot()];
        } else {
          await a.restore(snapshots[0]);
          await b.restore(snapshots[1]);
          await compare(a, b, `${step}: restore`);
        }
      }
      await compare(a, b, `${what} on ${isa}: end`);
      a.dispose();
      a.dispose();
      b.dispose();
    }
  });
});
