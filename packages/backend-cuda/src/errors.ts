import { BackendUnavailableError, ValidationError } from '@brokenrecord/core';
import type { NativeError } from './native.js';

/**
 * A native failure as core's typed errors. Device memory running out for the state is bad input
 * ("too many particles for memory": ValidationError); any other CUDA failure (a launch that
 * failed, a lost or missing device, a build without CUDA) means the backend cannot go on here:
 * BackendUnavailableError with the reason under the backend's name.
 */
export function deviceFailure(backend: string, what: string, error: unknown, count: number): Error {
  const e = error as NativeError;
  const message = e instanceof Error ? e.message : String(error);
  if (e?.outOfMemory) {
    return new ValidationError('state.count', `${count} particles do not fit in the GPU's memory (${message})`);
  }
  const name = e?.cudaError ? ` [${e.cudaError}]` : '';
  return new BackendUnavailableError(`${backend}: ${what}`, [{ name: backend, reason: `${message}${name}` }]);
}

export function disposedError(backend: string): Error {
  return new ValidationError('simulation', `the ${backend} context has been disposed`);
}
