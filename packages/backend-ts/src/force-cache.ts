import type { Column, ParticleState } from '@brokenrecord/core';

/** What pairwise gravity reads: if none of these changed, its accelerations still hold. */
const PAIRWISE_INPUTS: readonly Column[] = ['px', 'py', 'pz', 'mass'];

/**
 * Guards verlet's cached pairwise-gravity accelerations. Step 5 of a verlet step computes them from
 * the drifted positions; step 1 of the next step has the same positions, so it reuses them instead
 * of paying for all pairs again (velocity-dependent forces, drag, are re-evaluated every time).
 * They are valid only for the exact positions and masses they came from, so the cache keeps a
 * bitwise copy of those and compares it at the next `step()`: `write()`, particles added or
 * removed, or a value edited in place through the live state all make it recompute. The check is
 * O(N) per `step(n)` call, negligible beside the O(N²) forces it saves.
 */
export class PairwiseCache {
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
    for (let k = 0; k < PAIRWISE_INPUTS.length; k++) {
      const col = state.column(PAIRWISE_INPUTS[k]);
      const bits = new Uint32Array(col.buffer, col.byteOffset, n);
      const base = k * n;
      for (let i = 0; i < n; i++) if (bits[i] !== copy[base + i]) return false;
    }
    return true;
  }

  /** Records that the cached accelerations now belong to `state` as it is now. */
  remember(state: ParticleState): void {
    const n = state.count;
    if (this.#copy.length < PAIRWISE_INPUTS.length * n) this.#copy = new Uint32Array(PAIRWISE_INPUTS.length * n);
    for (let k = 0; k < PAIRWISE_INPUTS.length; k++) {
      const col = state.column(PAIRWISE_INPUTS[k]);
      this.#copy.set(new Uint32Array(col.buffer, col.byteOffset, n), k * n);
    }
    this.#count = n;
    this.#valid = true;
  }
}
