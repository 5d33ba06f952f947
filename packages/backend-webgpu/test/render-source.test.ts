import { createSimulation, defineSystem, pairwiseGravity, uniformGravity } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import { webgpuBackend, webgpuRenderSource, type RenderSource } from '../dist/index.js';
import { scatteredSpheres } from './helpers.js';

const probe = await webgpuBackend.probe();

/** Copies the x, y, z columns of the source's first `count` particles to a mappable buffer. */
async function positionsOnGpu(source: RenderSource): Promise<Float32Array[]> {
  const { device, count, positions } = source;
  const bytes = count * 4;
  const staging = device.createBuffer({ size: 3 * bytes, usage: 0x0001 | 0x0008 }); // MAP_READ | COPY_DST
  const encoder = device.createCommandEncoder();
  [positions.xOffsetFloats, positions.yOffsetFloats, positions.zOffsetFloats].forEach((offset, k) =>
    encoder.copyBufferToBuffer(positions.buffer, offset * 4, staging, k * bytes, bytes),
  );
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(0x0001);
  const data = new Float32Array(staging.getMappedRange().slice(0));
  staging.destroy();
  return [0, 1, 2].map((k) => data.subarray(k * count, (k + 1) * count));
}

describe.skipIf(!probe.available)('render source', () => {
  it('points at the live positions: after steps its buffer holds what read() returns, without a readback first', async () => {
    const system = defineSystem({ rules: [uniformGravity(), pairwiseGravity({ softening: 0.1 })] });
    const start = scatteredSpheres(7, 300, 10, [0, 0]);
    const sim = await createSimulation({ system, state: start.clone(), dt: 0.01, backend: 'webgpu' });
    try {
      await sim.step(25);
      const source = webgpuRenderSource(sim.context);
      expect(source).not.toBeNull();
      expect(source!.count).toBe(300);
      expect(source!.positions.buffer.usage & 0x0080, 'bindable as storage').toBeTruthy();
      const [x, y, z] = await positionsOnGpu(source!);
      // Moved from the start (so this is not the uploaded state), and equal to the readback bit for bit.
      expect(x).not.toEqual(start.px.subarray(0, 300));
      const read = await sim.read();
      expect(x).toEqual(read.px.subarray(0, 300));
      expect(y).toEqual(read.py.subarray(0, 300));
      expect(z).toEqual(read.pz.subarray(0, 300));
    } finally {
      sim.dispose();
    }
  });

  it('is null for a context of another backend', async () => {
    const { tsBackend } = await import('@brokenrecord/backend-ts');
    const ctx = await tsBackend.create(defineSystem({ rules: [] }), scatteredSpheres(1, 4, 1, [0, 0]), { dt: 0.1 });
    try {
      expect(webgpuRenderSource(ctx)).toBeNull();
    } finally {
      await ctx.dispose();
    }
  });
});
