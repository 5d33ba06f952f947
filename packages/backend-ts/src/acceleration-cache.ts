import type { Column, ParticleState } from '@brokenrecord/core';

/** The columns forces read: if none of them changed, the accelerations still hold. */
const FORCE_INPUTS: readonly Column[] = ['px', 'py', 'pz', 'vx', 'vy', 'vz', 'mass'];

/**
 * Guards verlet's cached accelerations (the `a` computed at the end of a step, reused by the first
 * half kick of the next). They are valid only for the exact state they were computed from, so the
 * cache keeps a bitwise copy of that state's force inputs and compares it at the next `step()`:
 * `write()`, particles added or removed, or a value edited in place through the live state all
 * make it recompute. The check is O(N) per `step(n)` call, cheap beside the n steps it guards.
 */
export class AccelerationCache {
  #valid = false;
  #count = 0;
  #copy = new Uint32Array(0);

  invalidate(): void {
    this.#valid = false;
  }

  /** Whether the cached accelerations were computed from `state` exactly as it is now. */
  isValidFor(state: ParticleState): boolean {
    if (!this.#valid || state.count !== this.#count) return false;
    const n = this.#count;
    const copy = this.#copy;
    for (let k = 0; k < FORCE_INPUTS.length; k++) {
      const col = state.column(FORCE_INPUTS[k]);
      const bits = new Uint32Array(col.buffer, col.byteOffset, n);
      const base = k * n;
      for (let i = 0; i < n; i++) if (bits[i] !== copy[base + i]) return false;
    }
    return true;
  }

  /** Records that the accelerations now belong to `state` as it is now. */
  remember(state: ParticleState): void {
    const n = state.count;
    if (this.#copy.length < FORCE_INPUTS.length * n) this.#copy = new Uint32Array(FORCE_INPUTS.length * n);
    for (let k = 0; k < FORCE_INPUTS.length; k++) {
      const col = state.column(FORCE_INPUTS[k]);
      this.#copy.set(new Uint32Array(col.buffer, col.byteOffset, n), k * n);
    }
    this.#count = n;
    this.#valid = true;
  }
}
