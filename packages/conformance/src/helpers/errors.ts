import { expect } from 'vitest';

/**
 * Runs `action` and returns what it threw, whether it threw synchronously or returned a rejected
 * promise (some API methods validate their arguments before they return a promise). Fails the test
 * when nothing was thrown.
 */
export async function captureError(action: () => unknown, what: string): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  expect.fail(`${what}: expected an error, but the call succeeded`);
}

/**
 * Asserts `action` throws an instance of `type` carrying `code` (every BrokenRecord error has a
 * stable code) and returns the error for further checks.
 */
export async function expectTypedError<E extends Error & { code: string }>(
  action: () => unknown,
  type: abstract new (...args: never[]) => E,
  code: string,
  what: string,
): Promise<E> {
  const error = await captureError(action, what);
  expect(error, `${what}: threw ${describeError(error)}, expected ${type.name}`).toBeInstanceOf(type);
  expect(error, `${what}: an Error`).toBeInstanceOf(Error);
  expect((error as E).code, `${what}: error code`).toBe(code);
  return error as E;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
}
