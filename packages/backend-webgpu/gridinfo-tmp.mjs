import { defineSystem, collisions, ParticleState } from '@brokenrecord/core';
import { webgpuBackend } from './dist/index.js';
const n = Number(process.argv[2]);
const s = ParticleState.create(n);
let seed = 1; const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
for (let i = 0; i < n; i++) { s.px[i] = rnd() * 100; s.py[i] = rnd() * 100; s.pz[i] = rnd() * 100; s.radius[i] = 0.3 + 0.3 * rnd(); }
const ctx = await webgpuBackend.create(defineSystem({ rules: [collisions()] }), s, { dt: 0.01 });
await ctx.step(1);
const d = ctx.device;
const st = d.createBuffer({ size: 64, usage: 1 | 8 });
const enc = d.createCommandEncoder(); enc.copyBufferToBuffer(ctx.buffers.gridInfo, 0, st, 0, 64); d.queue.submit([enc.finish()]);
await st.mapAsync(1); const u = new Uint32Array(st.getMappedRange().slice(0)); const f = new Float32Array(u.buffer);
console.log('minkeys', u.slice(0,3), 'maxkeys', u.slice(3,6), 'rmax', f[6], 'origin', f.slice(8,11), 'inv', f[11], 'dims', u.slice(12,15), 'cells', u[15], 'cap', ctx.buffers.grid.cellCapacity);
ctx.dispose();
{
const ctx = await webgpuBackend.create(defineSystem({ rules: [collisions()] }), s, { dt: 0.01 });
await ctx.step(1);
const d = ctx.device; const g = ctx.buffers.grid; const E = g.cellEntries;
const bytes = g.words * 4;
const st = d.createBuffer({ size: bytes, usage: 1 | 8 });
const enc = d.createCommandEncoder(); enc.copyBufferToBuffer(ctx.buffers.cells, 0, st, 0, bytes); d.queue.submit([enc.finish()]);
await st.mapAsync(1); const u = new Uint32Array(st.getMappedRange().slice(0));
const starts = u.subarray(E, 2 * E);
let bad = 0; for (let c = 1; c < E; c++) if (starts[c] < starts[c - 1]) bad++;
console.log('levels', JSON.stringify(g.levels), 'starts[0..5]', starts.slice(0, 5), 'last', starts[E - 1], 'nonmonotone', bad);
// compare with counts computed on host from cursors: cursors after scatter = starts[c+1]
let diff = 0; for (let c = 0; c < E - 1; c++) if (u[c] !== starts[c + 1]) diff++;
console.log('cursor mismatches', diff, 'at 1024:', starts.slice(1020, 1030), 'cursors', u.slice(1020,1030));
ctx.dispose();
}
