import type { ParticleState, Simulation } from '@brokenrecord/core';

export interface FrameInfo {
  step: number;
  time: number;
}

/** Something a run writes: trajectory frames while it runs, and/or a file when it ends. */
export interface Output {
  readonly path: string;
  /** Whether the run should stop at every `--every` steps for this output. */
  readonly wantsFrames: boolean;
  frame(state: ParticleState, info: FrameInfo): Promise<void>;
  /** The run completed (or was interrupted cleanly): write what belongs at the end. */
  finish(sim: Simulation): Promise<void>;
  /** Always called last, also after an error: release file handles. */
  close(): Promise<void>;
  /** One line for the end-of-run summary, e.g. `run.xyz: 11 frames (XYZ)`. */
  summary(): string;
}
