import { nodeHardwareThreads } from '#platform';
import { ValidationError } from './errors.js';
import { MAX_PARTICLES } from './state.js';

/**
 * The documented bounds on what one call may ask of a backend. Each is checked in core before
 * any backend runs, so no backend ever sees a count it cannot handle (no bare RangeError from
 * native code, no event loop blocked for ever, no thousand worker threads).
 */

/**
 * Most steps one `step(n)` call may take: 2³¹ − 1. Larger runs are several calls. A call is
 * handed to the backend in chunks of at most `STEP_CHUNK` steps, with the event loop let through
 * between chunks, so even a call near the limit keeps the process responsive.
 */
export const MAX_STEPS_PER_CALL = 2 ** 31 - 1;

/** Steps handed to a backend in one go by `Simulation.step` (see MAX_STEPS_PER_CALL). */
export const STEP_CHUNK = 2 ** 16;

/**
 * Absolute cap on `threads`. The effective cap is also at most 4 × the hardware threads of this
 * machine where that is known (`os.availableParallelism()` in Node, `navigator.hardwareConcurrency`
 * in browsers): more threads than that only cost memory (each worker is a V8 isolate).
 */
export const MAX_THREADS = 256;
/** `threads` may oversubscribe the hardware threads by at most this factor. */
export const THREADS_PER_HARDWARE_THREAD = 4;

/**
 * Estimated peak bytes per particle of a simulation (state, the rollback copy, backend scratch and
 * a snapshot's bytes): what the CLI (and anyone sizing a run) uses to bound a particle count by
 * the machine's memory before building anything.
 */
export const BYTES_PER_PARTICLE = 256;

/** `n` for `step(n)`: an integer in [0, MAX_STEPS_PER_CALL]. */
export function checkStepsPerCall(n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new ValidationError('steps', `${String(n)} must be a non-negative integer`);
  }
  if (n > MAX_STEPS_PER_CALL) {
    throw new ValidationError(
      'steps',
      `${n} exceeds the limit of ${MAX_STEPS_PER_CALL} steps per step() call; split the run into several calls`,
    );
  }
  return n;
}

/** A step count to start from (resuming): a non-negative integer small enough to count exactly. */
export function checkStartStep(n: unknown): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new ValidationError('startStep', `${String(n)} must be a non-negative integer ≤ ${Number.MAX_SAFE_INTEGER}`);
  }
  return n;
}

/** Hardware threads of this machine, or null where they cannot be told. */
export async function hardwareThreads(): Promise<number | null> {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (typeof process !== 'undefined' && process.versions?.node) {
    try {
      return await nodeHardwareThreads();
    } catch {
      return null;
    }
  }
  return typeof nav?.hardwareConcurrency === 'number' && nav.hardwareConcurrency > 0 ? nav.hardwareConcurrency : null;
}

/** The largest `threads` accepted here: min(MAX_THREADS, 4 × hardware threads). */
export async function maxThreads(): Promise<number> {
  const hardware = await hardwareThreads();
  return hardware === null ? MAX_THREADS : Math.min(MAX_THREADS, Math.max(1, hardware) * THREADS_PER_HARDWARE_THREAD);
}

/** `threads`: undefined (the backend's default) or an integer in [1, maxThreads()]. */
export async function checkThreadCount(threads: unknown): Promise<number | undefined> {
  if (threads === undefined) return undefined;
  const limit = await maxThreads();
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > limit) {
    throw new ValidationError(
      'threads',
      `${String(threads)} must be an integer in [1, ${limit}] (at most ${THREADS_PER_HARDWARE_THREAD} × this machine's hardware threads, and ${MAX_THREADS})`,
    );
  }
  return threads;
}

/**
 * The most particles a run may hold given `memoryBytes` of memory: the engine's MAX_PARTICLES or
 * what BYTES_PER_PARTICLE per particle allows, whichever is smaller.
 */
export function maxParticlesForMemory(memoryBytes: number): number {
  return Math.max(0, Math.min(MAX_PARTICLES, Math.floor(memoryBytes / BYTES_PER_PARTICLE)));
}

/** Throws ValidationError(field) when `n` particles exceed maxParticlesForMemory(memoryBytes). */
export function checkParticleCount(n: unknown, memoryBytes: number, field = 'particles'): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new ValidationError(field, `${String(n)} is not a particle count`);
  const limit = maxParticlesForMemory(memoryBytes);
  if (n > limit) {
    const why =
      limit === MAX_PARTICLES
        ? `the engine's limit (MAX_PARTICLES)`
        : `what ${(memoryBytes / 2 ** 30).toFixed(1)} GiB of memory holds at ~${BYTES_PER_PARTICLE} bytes per particle`;
    throw new ValidationError(field, `${n} particles exceed ${limit}, ${why}`);
  }
  return n;
}
