import { ValidationError } from './errors.js';
import { findInvalidValue, ParticleState } from './state.js';
import type { SystemDefinition } from './system.js';
import { describe } from './rules/index.js';
import { checkGenuineState } from './state-check.js';
import { checkDtRange } from './float32.js';

/** `dt`: finite, > 0 and within [MIN_DT, MAX_DT] (float32.ts says why). */
export function checkDt(dt: unknown): number {
  return checkDtRange(dt);
}

export function checkSteps(n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new ValidationError('steps', `${String(n)} must be a non-negative integer`);
  }
  return n;
}

export function checkThreads(threads: unknown): number | undefined {
  if (threads === undefined) return undefined;
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > 1024) {
    throw new ValidationError('threads', `${String(threads)} must be an integer in [1, 1024]`);
  }
  return threads;
}

/**
 * Everything about a state that would make a backend compute garbage or divide by zero, checked
 * before any backend sees it: values, and (for unsoftened gravity) coincident particles.
 */
export function checkState(state: unknown, system: SystemDefinition): ParticleState {
  if (!(state instanceof ParticleState)) throw new ValidationError('state', 'expected a ParticleState (ParticleState.from / create)');
  checkGenuineState(state);
  const problem = findInvalidValue(state);
  if (problem) throw new ValidationError(problem.field, problem.message);
  // What each rule needs from the state (attribute columns, bond tables); installs initial bonds.
  for (const rule of system.rules) describe(rule).prepare?.(rule as never, state);
  const unsoftened = system.rules.some((r) => r.kind === 'pairwiseGravity' && r.options.softening === 0);
  if (unsoftened) {
    const seen = new Map<string, number>();
    for (let i = 0; i < state.count; i++) {
      const key = `${state.px[i]},${state.py[i]},${state.pz[i]}`;
      const j = seen.get(key);
      if (j !== undefined) {
        throw new ValidationError(
          `state.position[${i}]`,
          `coincides with particle ${j}; pairwiseGravity with softening 0 would divide by zero (set softening > 0)`,
        );
      }
      seen.set(key, i);
    }
  }
  return state;
}
