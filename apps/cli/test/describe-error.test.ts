import { BackendError, SimulationDivergedError, ValidationError } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import { describeError, EXIT } from '../src/errors.js';

describe('exit statuses of errors', () => {
  it('bad input is a usage error, divergence a physics failure, a failing backend an internal error', () => {
    expect(describeError(new ValidationError('dt', 'must be > 0')).exitCode).toBe(EXIT.usage);
    expect(describeError(new SimulationDivergedError(3, 1)).exitCode).toBe(EXIT.physicsFailed);
    const failed = describeError(new BackendError('webgpu', 'step', new Error('device lost')));
    expect(failed.exitCode).toBe(EXIT.internal);
    expect(failed.message).toMatch(/^backend failure: .*device lost/);
  });
});
