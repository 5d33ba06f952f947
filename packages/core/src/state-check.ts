import { ValidationError } from './errors.js';
import { COLUMNS, findInvalidValue, ParticleState } from './state.js';

/**
 * Checks of the state a user can reach between calls (the object `createSimulation` was given or
 * `read()` returned): they may write its columns, add or remove particles, or transfer its
 * storage away at any time, so core looks again before every step call, and before handing the
 * state out (read, diagnostics, snapshot). Cheap: one pass over the columns, no copy.
 */

/**
 * ParticleState's own members as this module first saw them: a state whose getters or methods
 * resolve to anything else (an own property shadowing `px` or `column`, a subclass overriding
 * them, a patched prototype) could hand a backend arrays of any type and length.
 */
const GENUINE_MEMBERS: ReadonlyMap<PropertyKey, PropertyDescriptor> = new Map(
  Reflect.ownKeys(ParticleState.prototype)
    .filter((key) => key !== 'constructor')
    .map((key) => [key, Object.getOwnPropertyDescriptor(ParticleState.prototype, key)!]),
);

function resolve(object: object, key: PropertyKey): PropertyDescriptor | undefined {
  for (let o: object | null = object; o; o = Reflect.getPrototypeOf(o)) {
    const found = Reflect.getOwnPropertyDescriptor(o, key);
    if (found) return found;
  }
  return undefined;
}

/**
 * ValidationError unless `state` is a ParticleState made by this library whose members are
 * ParticleState's own: not a Proxy, not a look-alike object, no own property shadowing a column
 * or `column()`, no overriding subclass member, no patched prototype. Checked before any backend
 * is handed the state (createSimulation) and before every later call that uses it, so an
 * exotic object never reaches native or GPU code.
 */
export function checkGenuineState(state: unknown, field = 'state'): asserts state is ParticleState {
  if (!ParticleState.isParticleState(state)) {
    throw new ValidationError(
      field,
      'expected a ParticleState made by ParticleState.from / create / clone (not a Proxy or a look-alike object)',
    );
  }
  const own = Reflect.ownKeys(state);
  if (own.length > 0) {
    throw new ValidationError(
      field,
      `has own properties (${own.map(String).join(', ')}) shadowing ParticleState's members; the simulation cannot use it`,
    );
  }
  for (const [key, genuine] of GENUINE_MEMBERS) {
    const found = resolve(state, key);
    if (!found || found.get !== genuine.get || found.set !== genuine.set || found.value !== genuine.value) {
      throw new ValidationError(
        `${field}.${String(key)}`,
        `is not ParticleState's own member (overridden by a subclass or a patched prototype); the simulation cannot use it`,
      );
    }
  }
}

/** ValidationError naming the column when the state's storage was detached (transferred away). */
export function checkAttached(state: ParticleState): void {
  checkGenuineState(state);
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
