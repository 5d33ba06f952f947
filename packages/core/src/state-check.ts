import { ValidationError } from './errors.js';
import { COLUMNS, findInvalidValue, type ParticleState } from './state.js';

/**
 * Checks of the state a user can reach between calls (the object `createSimulation` was given or
 * `read()` returned): they may write its columns, add or remove particles, or transfer its
 * storage away at any time, so core looks again before every step call, and before handing the
 * state out (read, diagnostics, snapshot). Cheap: one pass over the columns, no copy.
 */

/** ValidationError naming the column when the state's storage was detached (transferred away). */
export function checkAttached(state: ParticleState): void {
  const n = state.count;
  for (const c of COLUMNS) {
    const column = state.column(c);
    if (column.length !== n || (n > 0 && column.buffer.byteLength === 0)) {
      throw new ValidationError(
        `state.${c}`,
        `its storage has been detached (the ArrayBuffer was transferred, e.g. by postMessage or structuredClone with transfer): ` +
          `it holds ${column.length} of the state's ${n} values; the simulation cannot go on with this state (restore a snapshot or create a new one)`,
      );
    }
  }
}

/**
 * Everything the user may have broken since the last step: detached storage, then values no
 * backend may be given (non-finite numbers, mass ≤ 0, radius < 0). The state is not changed.
 */
export function checkLiveState(state: ParticleState): void {
  checkAttached(state);
  const problem = findInvalidValue(state);
  if (problem) throw new ValidationError(problem.field, `${problem.message} (the state was changed since the last step)`);
}
