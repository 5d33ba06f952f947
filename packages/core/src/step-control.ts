import { ValidationError } from './errors.js';
import { STEP_CHUNK } from './limits.js';

/**
 * How one `step(n)` call is cut into chunks (each handed to the backend in one go, with the event
 * loop let through between them) and how it is stopped early: an AbortSignal, checked between
 * chunks, so an abort leaves the state at a whole step.
 */

export interface StepOptions {
  /**
   * Stops the call at the end of the chunk running when it aborts (a whole step; chunks last about
   * CHUNK_TARGET_MS): the call rejects with `AbortError` (code 'ABORTED') and `sim.steps` counts
   * exactly the steps taken. Checked before the first chunk too: an aborted signal takes no step.
   */
  signal?: AbortSignal;
}

/** What a chunk of steps should take, so that timers, I/O and aborts are served that often. */
export const CHUNK_TARGET_MS = 20;

/** Steps of the first chunk of a simulation, before its speed is known. */
export const FIRST_CHUNK = 128;

const STEP_OPTION_KEYS = ['signal'];

/** `options` of `step(n, options)`: undefined, or an object whose only key is an AbortSignal `signal`. */
export function checkStepOptions(options: unknown): StepOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValidationError('step.options', 'expected an object { signal }');
  }
  for (const key of Object.keys(options)) {
    if (!STEP_OPTION_KEYS.includes(key))
      throw new ValidationError(`step.options.${key}`, `unknown option (known: ${STEP_OPTION_KEYS.join(', ')})`);
  }
  const { signal } = options as { signal?: unknown };
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw new ValidationError('step.options.signal', 'expected an AbortSignal (new AbortController().signal)');
  }
  return signal === undefined ? {} : { signal };
}

function isAbortSignal(value: unknown): value is AbortSignal {
  if (typeof AbortSignal === 'function' && value instanceof AbortSignal) return true;
  // Another realm's AbortSignal (a worker, an iframe): what this module reads of one.
  const v = value as { aborted?: unknown; addEventListener?: unknown } | null;
  return typeof v === 'object' && v !== null && typeof v.aborted === 'boolean' && typeof v.addEventListener === 'function';
}

const now: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function' ? () => performance.now() : () => Date.now();

/**
 * Sizes chunks from the measured time per step of one simulation, so a chunk takes about
 * CHUNK_TARGET_MS whatever the system costs: a heavy system is not handed 2^16 steps at once
 * (the process stays responsive, an abort is served within a chunk), a light one is not cut into
 * thousands of tiny calls. Never more than STEP_CHUNK steps, never more than 8× the last chunk.
 */
export class ChunkPacer {
  #msPerStep: number | null = null;
  #last = 0;

  /** The largest chunk to hand the backend next (≥ 1). */
  limit(): number {
    if (this.#msPerStep === null) return FIRST_CHUNK;
    const wanted = this.#msPerStep > 0 ? Math.floor(CHUNK_TARGET_MS / this.#msPerStep) : STEP_CHUNK;
    return Math.max(1, Math.min(STEP_CHUNK, wanted, Math.max(FIRST_CHUNK, 8 * this.#last)));
  }

  /** Times `run` (a chunk of `steps` steps) and updates the estimate. */
  async time<T>(steps: number, run: () => Promise<T>): Promise<T> {
    const start = now();
    const result = await run();
    const perStep = (now() - start) / Math.max(1, steps);
    this.#msPerStep = this.#msPerStep === null ? perStep : 0.5 * (this.#msPerStep + perStep);
    this.#last = steps;
    return result;
  }
}

/**
 * Lets timers, I/O and abort handlers run between chunks: setImmediate in Node (timers that are
 * due fire first, without setTimeout's 1 ms floor), a MessageChannel message in browsers (no 4 ms
 * clamp), else setTimeout.
 */
export function yieldToEventLoop(): Promise<void> {
  interface Port {
    onmessage: (() => void) | null;
    close(): void;
    postMessage(message: unknown): void;
  }
  const g = globalThis as unknown as {
    setImmediate?: (cb: () => void) => unknown;
    MessageChannel?: new () => { port1: Port; port2: Port };
  };
  if (typeof g.setImmediate === 'function') return new Promise((resolve) => g.setImmediate!(resolve));
  if (typeof g.MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new g.MessageChannel!();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
