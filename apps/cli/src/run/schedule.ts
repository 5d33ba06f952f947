/**
 * Where a run pauses between `sim.step` calls. Pauses let Ctrl-C, the progress bar and the output
 * writers in; each `sim.step` call still batches many steps. A run pauses
 * - at every sample step: `tick` apart from the start, about 100 per run (progress, drift plot);
 * - at every frame step: the multiples of `every`, counted from step 0 of the whole run, so a
 *   resumed run writes the frames the uninterrupted one would have;
 * - at most `chunk` steps after the previous pause (see ChunkPlanner), and at the end.
 */
export interface StopPlan {
  start: number;
  end: number;
  tick: number;
  chunk: number;
  every?: number;
}

const nextMultiple = (value: number, of: number) => (Math.floor(value / of) + 1) * of;

export function nextStop(current: number, plan: StopPlan): number {
  let stop = Math.min(plan.end, current + plan.chunk, plan.start + nextMultiple(current - plan.start, plan.tick));
  if (plan.every !== undefined) stop = Math.min(stop, nextMultiple(current, plan.every));
  return stop;
}

/** About 100 samples per run, never fewer than one step apart. */
export function tickFor(steps: number): number {
  return Math.max(1, Math.ceil(steps / 100));
}

/**
 * Sizes chunks so that pauses come about every `targetSeconds` however fast the backend steps:
 * a run of 1e8 slow steps still answers Ctrl-C within a fraction of a second. Starts at one step
 * and grows at most 4× per pause, so one noisy timing cannot make the next chunk huge.
 */
export class ChunkPlanner {
  #chunk = 1;

  constructor(
    readonly maxChunk: number,
    readonly targetSeconds = 0.2,
  ) {}

  get chunk(): number {
    return this.#chunk;
  }

  record(steps: number, seconds: number): void {
    const ideal = seconds > 0 ? (steps / seconds) * this.targetSeconds : Infinity;
    this.#chunk = Math.max(1, Math.min(this.maxChunk, Math.floor(ideal), 4 * Math.max(steps, 1)));
  }
}
