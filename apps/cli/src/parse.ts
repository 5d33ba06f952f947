import { InvalidArgumentError } from 'commander';
import { INTEGRATORS, type Integrator } from '@brokenrecord/core';

/*
 * Flag value parsers for commander. Each throws InvalidArgumentError, which commander turns into
 * one line naming the flag, so a bad value never reaches the engine.
 */

export function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a finite number > 0');
  return n;
}

/** Seeds are 32-bit: the PRNG state is a 32-bit integer. */
export function seed(value: string): number {
  const n = nonNegativeInteger(value);
  if (n > 0xffffffff) throw new InvalidArgumentError('expected an integer in [0, 4294967295]');
  return n;
}

export function integrator(value: string): Integrator {
  if (!(INTEGRATORS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${INTEGRATORS.join(', ')}`);
  }
  return value as Integrator;
}

/** Repeatable flags (`--out a.xyz --out b.brsnap`) collect into a list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
