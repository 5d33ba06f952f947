import type { Simulation } from '@brokenrecord/core';
import { cleanTime } from '../format.js';
import type { Output } from '../outputs/index.js';
import type { Progress } from './progress.js';
import { ChunkPlanner, nextStop, tickFor } from './schedule.js';

export interface LoopOptions {
  steps: number;
  every: number;
  outputs: readonly Output[];
  progress: Progress;
  /** Called at the start, at every sample step (about 100 per run) and where the run ends: plot sampling. */
  onSample?: () => Promise<void>;
  /** Checked at every pause: true stops the run there (Ctrl-C), with outputs still finished. */
  stopRequested?: () => boolean;
}

export interface LoopResult {
  stepsDone: number;
  /** Wall time spent inside `sim.step` only, not writing outputs or sampling diagnostics. */
  stepSeconds: number;
  interrupted: boolean;
}

/**
 * Steps `sim` in chunks: frames go to the trajectory outputs at the first step, at every multiple of
 * `every`, and at the last step; samples at the start, every `tick` steps and at the end; the
 * progress bar and a turn of the event loop between chunks.
 */
export async function runLoop(sim: Simulation, options: LoopOptions): Promise<LoopResult> {
  const { steps, every, outputs, progress } = options;
  const framed = outputs.filter((o) => o.wantsFrames);
  const start = sim.steps;
  const end = start + steps;
  let lastFrame = -1;
  const writeFrame = async () => {
    const state = await sim.read();
    for (const output of framed) await output.frame(state, { step: sim.steps, time: cleanTime(sim.time) });
    lastFrame = sim.steps;
  };

  let lastSample = -1;
  const sample = async () => {
    await options.onSample?.();
    lastSample = sim.steps;
  };
  if (framed.length) await writeFrame();
  await sample();
  const tick = tickFor(steps);
  const planner = new ChunkPlanner(tick);
  let stepSeconds = 0;
  let interrupted = false;
  while (sim.steps < end) {
    if (options.stopRequested?.()) {
      interrupted = true;
      break;
    }
    const before = sim.steps;
    const stop = nextStop(before, { start, end, tick, chunk: planner.chunk, ...(framed.length ? { every } : {}) });
    const t0 = performance.now();
    await sim.step(stop - before);
    const seconds = (performance.now() - t0) / 1000;
    stepSeconds += seconds;
    planner.record(stop - before, seconds);
    if (framed.length && sim.steps % every === 0) await writeFrame();
    if ((sim.steps - start) % tick === 0) await sample();
    progress.update(sim.steps - start);
    // CPU backends step synchronously and resolve at once: without a turn of the event loop here,
    // Ctrl-C (and any timer) would wait for the whole run.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (framed.length && lastFrame !== sim.steps) await writeFrame();
  if (lastSample !== sim.steps) await sample();
  return { stepsDone: sim.steps - start, stepSeconds, interrupted };
}
