import { createSimulation, defineSystem, collisions, ParticleState } from '@brokenrecord/core';
import './dist/index.js';
const n = Number(process.argv[2]);
const s = ParticleState.create(n);
let seed = 1; const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
for (let i = 0; i < n; i++) { s.px[i] = rnd() * 100; s.py[i] = rnd() * 100; s.pz[i] = rnd() * 100; s.radius[i] = 0.3 + 0.3 * rnd(); }
const sim = await createSimulation({ system: defineSystem({ rules: [collisions()] }), state: s.clone(), dt: 0.01, backend: 'webgpu' });
await sim.step(1); const r = await sim.read();
let sum = 0, max = 0; for (let i = 0; i < n; i++) { sum += r.vx[i]; max = Math.max(max, r.vx[i]); }
console.log('mean candidates', sum / n, 'max', max);
sim.dispose();
