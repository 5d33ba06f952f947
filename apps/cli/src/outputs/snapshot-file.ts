import type { Simulation } from '@brokenrecord/core';
import type { Output } from './output.js';

/** The final state as a checksummed snapshot, written atomically (core's temp file + rename). */
export function snapshotFile(path: string): Output {
  let step = -1;
  return {
    path,
    wantsFrames: false,
    async frame() {},
    async finish(sim: Simulation) {
      await sim.save(path);
      step = sim.steps;
    },
    async close() {},
    summary: () => (step < 0 ? `${path}: not written` : `${path}: snapshot at step ${step} (resume with --resume ${path})`),
  };
}
