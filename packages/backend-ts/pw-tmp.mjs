import { ParticleState, defineSystem, pairwiseGravity } from '@brokenrecord/core';
import { tsBackend } from './dist/index.js';
const N = 4096;
const s = ParticleState.create(N);
let seed = 1; const r = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
for (let i = 0; i < N; i++) { s.px[i] = r() * 10; s.py[i] = r() * 10; s.pz[i] = r() * 10; }
const system = defineSystem({ rules: [pairwiseGravity({ softening: 0.1 })] });
const ctx = await tsBackend.create(system, s, { dt: 0.001 });
const times = [];
for (let k = 0; k < 9; k++) { const t = performance.now(); ctx.step(3); times.push((performance.now() - t) / 3); }
times.sort((a, b) => a - b);
console.log('ms/step', times.map(t=>t.toFixed(1)).join(' '), 'median', (N * (N - 1) / (times[4] / 1000) / 1e9).toFixed(3), 'G pairs/s', s.px[5]);
