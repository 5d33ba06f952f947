import { create } from 'webgpu';
const mode = process.argv[2];
globalThis.keep = create([]);
const adapter = await globalThis.keep.requestAdapter();
const device = await adapter.requestDevice();
const src = `@group(0) @binding(0) var<storage, read_write> a: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) { if (id.x < arrayLength(&a)) { a[id.x] = a[id.x] * 2.0 + 1.0; } }`;
let t = performance.now();
for (let i = 0; i < 5; i++) {
  const m = device.createShaderModule({ code: src + `\n// ${i}` });
  await device.createComputePipelineAsync({ layout: 'auto', compute: { module: m, entryPoint: 'main' } });
}
console.log('5 pipelines ms', performance.now() - t);
if (mode === 'destroy') device.destroy();
if (mode === 'drop' || mode === 'destroy') globalThis.keep = null;
console.log('end of script', mode);
