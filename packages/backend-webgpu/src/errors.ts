import { BackendUnavailableError, ValidationError } from '@brokenrecord/core';

/**
 * GPU failures as core's typed errors. A lost device, an error no scope caught, or a kernel that
 * failed to build all mean this backend cannot go on here: BackendUnavailableError, with the
 * reason under the backend's name. A state too large for the device is bad input (ValidationError,
 * "too many particles for memory").
 */
export function gpuFailure(what: string, reason: string): BackendUnavailableError {
  return new BackendUnavailableError(`webgpu: ${what}`, [{ name: 'webgpu', reason }]);
}

export function tooManyParticles(count: number, limit: number, detail: string): ValidationError {
  return new ValidationError('state.count', `${count} particles do not fit in this GPU's memory (at most ${limit}: ${detail})`);
}

export function disposedError(): Error {
  return new ValidationError('simulation', 'the WebGPU context has been disposed');
}

/**
 * Runs `work` (which records and submits GPU commands) inside validation, out-of-memory and
 * internal error scopes, and returns the first error the GPU reported, if any.
 */
export async function captureGpuErrors(device: GPUDevice, work: () => void): Promise<GPUError | null> {
  device.pushErrorScope('internal');
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let thrown: unknown = null;
  try {
    work();
  } catch (error) {
    thrown = error;
  }
  // All three are popped even when `work` threw, so the scope stack stays balanced for other users.
  const scopes = [device.popErrorScope(), device.popErrorScope(), device.popErrorScope()];
  const errors = await Promise.all(scopes.map((p) => p.catch(() => null)));
  if (thrown) throw thrown;
  return errors.find((e) => e) ?? null;
}
