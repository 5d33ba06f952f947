import { createSimulation, defineSystem, collisions, bounds } from '@brokenrecord/core';
import './dist/index.js';
import { jitteredGasState } from '../../bench/dist/cases/b3.js';
for (const [name, rules] of [['bounds', [bounds({ min: [0, 0, 0], max: [65, 65, 65] })]], ['collisions', [collisions()]]]) {
  const sim = await createSimulation({ system: defineSystem({ rules }), state: jitteredGasState(100_000, 65, 5), dt: 0.01, backend: 'webgpu' });
  await sim.step(1); await sim.read();
  const t = performance.now(); await sim.step(10); await sim.read();
  console.log(name, ((performance.now() - t) / 10).toFixed(1), 'ms/step');
  sim.dispose();
}
