import { createSimulation, defineSystem, uniformGravity, pairwiseGravity, collisions, bounds } from '@brokenrecord/core';
import './dist/index.js';
import '@brokenrecord/backend-ts';
import { freeFallState } from '../../bench/dist/cases/b1.js';
import { cubeOfDustState } from '../../bench/dist/cases/b2.js';
import { jitteredGasState } from '../../bench/dist/cases/b3.js';
const which = process.argv[2];
const backend = process.argv[3] ?? 'webgpu';
const reps = 3;
async function measure(name, system, makeState, steps, unit) {
  const sim = await createSimulation({ system, state: makeState(), dt: 0.01, backend });
  await sim.step(1); await sim.read();
  const times = [];
  for (let r = 0; r < reps; r++) { const t = performance.now(); await sim.step(steps); await sim.read(); times.push((performance.now() - t) / 1000); }
  sim.dispose();
  times.sort((a, b) => a - b);
  const med = times[1];
  console.log(name, backend, 'median s', med.toFixed(4), unit(med));
}
if (which === 'b1') await measure('B1', defineSystem({ rules: [uniformGravity({ g: [0, -9.81, 0] })] }), () => freeFallState(10_000), 1000, (s) => `${(10_000 * 1000 / s / 1e6).toFixed(1)} M particle-steps/s`);
if (which === 'b1l') await measure('B1-large', defineSystem({ rules: [uniformGravity({ g: [0, -9.81, 0] })] }), () => freeFallState(1_000_000), 100, (s) => `${(1e6 * 100 / s / 1e6).toFixed(1)} M particle-steps/s`);
if (which === 'b2') await measure('B2', defineSystem({ rules: [pairwiseGravity({ G: 1, softening: 0.1 })] }), () => cubeOfDustState(16384), 1, (s) => `${(16384 ** 2 / s / 1e9).toFixed(3)} G pairs/s, ${(16384 ** 2 * 20 / s / 1e9).toFixed(2)} GFLOP/s`);
if (which === 'b3') await measure('B3', defineSystem({ rules: [collisions({ restitution: 1 }), bounds({ min: [0, 0, 0], max: [65, 65, 65], restitution: 1 })] }), () => jitteredGasState(100_000, 65, 5), 10, (s) => `${(10 / s).toFixed(2)} steps/s`);
