import { createSimulation, defineSystem, collisions, ParticleState } from '@brokenrecord/core';
import './dist/index.js';
const n = Number(process.argv[2]);
const s = ParticleState.create(n);
let seed = 1; const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
for (let i = 0; i < n; i++) { s.px[i] = rnd() * 100; s.py[i] = rnd() * 100; s.pz[i] = rnd() * 100; s.vx[i] = rnd() - 0.5; s.vy[i] = rnd() - 0.5; s.vz[i] = rnd() - 0.5; s.radius[i] = 0.3 + 0.3 * rnd(); }
let t = performance.now(); const lap = (w) => { const now = performance.now(); console.log(w, (now - t).toFixed(0)); t = now; };
const sim = await createSimulation({ system: defineSystem({ rules: [collisions()] }), state: s.clone(), dt: 0.01, backend: 'webgpu' });
lap('create');
await sim.step(1); lap('step1');
await sim.step(1); lap('step2');
await sim.read(); lap('read');
sim.dispose();
