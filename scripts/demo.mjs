#!/usr/bin/env node
// The quick-start demo: the solar-system scenario, run on whatever backend `auto` picks, with a
// conservation report. (The `brokenrecord` CLI grows this into many scenarios.)
import { createSimulation, defineSystem, listBackends, pairwiseGravity, ParticleState } from '@brokenrecord/core';

// G = 1; a sun of mass 1000 and three bodies on near-circular orbits. The sun's small velocity
// cancels the bodies' momentum, so the centre of mass stays put.
const state = ParticleState.from({
  position: [[0, 0, 0], [50, 0, 0], [80, 0, 0], [150, 0, 0]],
  velocity: [[0, -0.03125, 0], [0, 4.5, 0], [0, 3.5, 0], [0, 2.5, 0]],
  mass: [1000, 1, 0.5, 10],
  radius: [5, 0, 0, 0],
});
const system = defineSystem({
  integrator: 'verlet',
  rules: [pairwiseGravity({ G: 1 })],
  conserves: ['energy', 'momentum', 'angularMomentum'],
});
const steps = 100_000;
const dt = 0.01;

const sim = await createSimulation({ system, state, dt, backend: 'auto' });
const available = (await listBackends()).map((b) => `${b.name}${b.available ? '' : ' (unavailable)'}`).join(', ');
console.log(`backends: ${available}\nrunning solar-system on '${sim.backend}': ${state.count} bodies, ${steps} steps of dt = ${dt}`);

const before = await sim.diagnostics();
const t0 = performance.now();
await sim.step(steps);
const seconds = (performance.now() - t0) / 1000;
const after = await sim.diagnostics();
sim.dispose();

const norm = (v) => Math.hypot(...v);
const rel = (a, b, scale) => Math.abs(b - a) / scale;
const rows = [
  ['energy', before.total, after.total, rel(before.total, after.total, Math.abs(before.kinetic) + Math.abs(before.potential))],
  ['|momentum|', norm(before.momentum), norm(after.momentum), norm(after.momentum.map((x, k) => x - before.momentum[k])) / (before.mass * 4.5)],
  ['angular momentum z', before.angularMomentum[2], after.angularMomentum[2], rel(before.angularMomentum[2], after.angularMomentum[2], Math.abs(before.angularMomentum[2]))],
];
console.log(`\n${steps} steps in ${seconds.toFixed(3)} s (${Math.round(steps / seconds).toLocaleString('en-US')} steps/s)\n`);
console.log('quantity              initial          final            relative drift');
for (const [name, a, b, d] of rows) console.log(`${name.padEnd(20)}  ${a.toExponential(6).padStart(14)}  ${b.toExponential(6).padStart(14)}  ${d.toExponential(2)}`);
const ok = rows.every(([, , , d]) => d < 1e-3);
console.log(`\nconservation contract (energy, momentum, angular momentum within 1e-3): ${ok ? 'kept' : 'VIOLATED'}`);
process.exitCode = ok ? 0 : 1;
