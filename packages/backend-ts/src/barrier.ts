import type { PhaseSync } from './kernels/integrate.js';

/** Slots of the control block (an Int32Array over a SharedArrayBuffer) that a thread team shares. */
const ARRIVED = 0; // participants waiting at the current barrier
const GENERATION = 1; // bumped each time a barrier opens (and on abort, to wake everyone)
const DONE = 2; // workers that finished the current run
const ABORTED = 3; // 1 once a participant failed; every barrier then throws
const MESSAGE_LENGTH = 4; // bytes of the failure message
export const CONTROL_INTS = 8;
export const MESSAGE_BYTES = 1024;

/** Brief busy-wait before sleeping: phases are often short and Atomics.wait wakes slowly. */
const SPINS = 2000;

export class TeamAborted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TeamAborted';
  }
}

/**
 * A reusable barrier for `parties` threads over shared memory (central counter + generation).
 * Atomics give the ordering: everything a thread wrote before arriving is visible to every thread
 * after the barrier opens.
 */
export class SharedBarrier implements PhaseSync {
  readonly #control: Int32Array;
  readonly #message: Uint8Array;
  readonly #parties: number;
  readonly leader: boolean;
  readonly rank: number;

  /** `rank` 0 (the calling thread) leads: it builds the shared grids. */
  constructor(control: Int32Array, message: Uint8Array, parties: number, rank: number) {
    this.#control = control;
    this.#message = message;
    this.#parties = parties;
    this.rank = rank;
    this.leader = rank === 0;
  }

  get parties(): number {
    return this.#parties;
  }

  barrier(): void {
    const c = this.#control;
    const generation = Atomics.load(c, GENERATION);
    this.#throwIfAborted();
    if (Atomics.add(c, ARRIVED, 1) === this.#parties - 1) {
      Atomics.store(c, ARRIVED, 0);
      Atomics.add(c, GENERATION, 1);
      Atomics.notify(c, GENERATION);
      return;
    }
    for (let k = 0; k < SPINS && Atomics.load(c, GENERATION) === generation; k++);
    while (Atomics.load(c, GENERATION) === generation) Atomics.wait(c, GENERATION, generation);
    this.#throwIfAborted();
  }

  /** Marks the run failed and wakes everyone waiting, so no thread blocks forever. */
  abort(reason: string): void {
    const c = this.#control;
    if (Atomics.compareExchange(c, ABORTED, 0, 1) === 0) {
      const bytes = new TextEncoder().encode(reason).subarray(0, MESSAGE_BYTES);
      this.#message.set(bytes);
      Atomics.store(c, MESSAGE_LENGTH, bytes.length);
    }
    Atomics.add(c, GENERATION, 1);
    Atomics.notify(c, GENERATION);
  }

  #throwIfAborted(): void {
    if (Atomics.load(this.#control, ABORTED) !== 0) throw new TeamAborted(failureMessage(this.#control, this.#message));
  }
}

function failureMessage(control: Int32Array, message: Uint8Array): string {
  const length = Atomics.load(control, MESSAGE_LENGTH);
  // TextDecoder refuses views of shared memory: copy first.
  return new TextDecoder().decode(message.slice(0, length));
}

/** Worker side: reports the end of its share of a run. */
export function signalDone(control: Int32Array): void {
  Atomics.add(control, DONE, 1);
  Atomics.notify(control, DONE);
}

/**
 * Main side: waits until `workers` have signalled the end of the run, then resets the block for
 * the next one. Returns the failure message if any participant aborted, else null.
 */
export function awaitWorkers(control: Int32Array, message: Uint8Array, workers: number): string | null {
  for (let done = Atomics.load(control, DONE); done < workers; done = Atomics.load(control, DONE)) {
    Atomics.wait(control, DONE, done);
  }
  const failure = Atomics.load(control, ABORTED) !== 0 ? failureMessage(control, message) : null;
  Atomics.store(control, DONE, 0);
  Atomics.store(control, ARRIVED, 0);
  Atomics.store(control, ABORTED, 0);
  Atomics.store(control, MESSAGE_LENGTH, 0);
  return failure;
}
