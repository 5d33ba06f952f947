import { createSimulation, defineSystem, ParticleState, registerBackend, uniformGravity, ValidationError } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import { webgpuBackend } from '../dist/index.js';

const probe = await webgpuBackend.probe();
registerBackend(webgpuBackend);

/** The host state between steps (docs/physics.md, "The state between steps"). */
describe.skipIf(!probe.available)('webgpu host edits', () => {
  const system = defineSystem({ rules: [uniformGravity({ g: [0, -1, 0] })] });
  const two = () =>
    ParticleState.from({
      position: [
        [0, 5, 0],
        [1, 6, 0],
      ],
      velocity: [
        [1, 0, 0],
        [0, 0, 1],
      ],
      mass: [1, 2],
    });

  it('edits of the state passed to createSimulation, before the first step, are uploaded', async () => {
    const state = two();
    const sim = await createSimulation({ system, state, dt: 0.1, backend: 'webgpu' });
    try {
      state.remove([0]);
      state.vx[0] = 4;
      await sim.step(1);
      const after = await sim.read();
      expect(after).toBe(state);
      expect(after.count).toBe(1);
      expect(after.px[0]).toBeCloseTo(1.4, 6);
      expect((await sim.diagnostics()).mass).toBeCloseTo(2, 6);
    } finally {
      sim.dispose();
    }
  });

  it('edits of a stale host copy (steps ran since the last read) are rejected, not mixed with the GPU state', async () => {
    const state = two();
    const sim = await createSimulation({ system, state, dt: 0.1, backend: 'webgpu' });
    try {
      await sim.step(3);
      state.vx[1] = 9; // the host copy still holds step 0
      for (const call of [() => sim.step(1), () => sim.read(), () => sim.diagnostics()]) {
        const error = await call().then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).field).toBe('state');
      }
      state.vx[1] = 0; // undone: the GPU state is the truth again
      await sim.step(1);
      expect(sim.steps).toBe(4);
      expect((await sim.read()).py[0]).toBeCloseTo(5 - 0.01 * 10, 5); // Euler: y_n = y_0 + g dt² n(n+1)/2
    } finally {
      sim.dispose();
    }
  });
});
