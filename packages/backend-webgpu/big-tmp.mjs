import { createSimulation, defineSystem, collisions, ParticleState } from '@brokenrecord/core';
import './dist/index.js';
import '@brokenrecord/backend-ts';
const n = 600_000;
const s = ParticleState.create(n);
let seed = 1; const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
for (let i = 0; i < n; i++) { s.px[i] = rnd() * 100; s.py[i] = rnd() * 100; s.pz[i] = rnd() * 100; s.vx[i] = rnd() - 0.5; s.vy[i] = rnd() - 0.5; s.vz[i] = rnd() - 0.5; s.radius[i] = 0.3 + 0.3 * rnd(); }
for (const backend of ['webgpu', 'ts']) {
  const t = performance.now();
  const sim = await createSimulation({ system: defineSystem({ rules: [collisions()] }), state: s.clone(), dt: 0.01, backend, threads: 1 });
  await sim.step(1); const r = await sim.read();
  let touched = 0; for (let i = 0; i < n; i++) if (r.vx[i] !== s.vx[i]) touched++;
  console.log(backend, (performance.now() - t).toFixed(0), 'ms', touched);
  sim.dispose();
}
