import { COLUMNS, type ParticleState } from '@brokenrecord/core';
import type { StepPlan } from './plan.js';

/**
 * Guards verlet's cached position-dependent accelerations (fx/fy/fz: pairwise gravity and the
 * expression terms that do not read velocities). Step 5 of a verlet step computes them from the
 * drifted positions at t_{k+1}; step 1 of the next step has the same positions and time, so it
 * reuses them instead of paying for the pair loops again (drag and the fields that read v are
 * evaluated every time). They are valid only for the exact inputs they came from, so the cache
 * keeps a bitwise copy of the columns they read (positions, masses, radii, the attribute columns
 * the expressions read) and compares it at the next `step()`: `write()`, particles added or
 * removed, a value edited in place through the live state, a new bond table or, for terms that
 * read t, a step count other than where the last call ended all make it recompute. The check is
 * O(N) per `step(n)` call, negligible beside the forces it saves.
 */
export class ForceCache {
  readonly #inputs: readonly string[];
  readonly #usesTime: boolean;
  #valid = false;
  #count = 0;
  #topology = 0;
  #step = 0;
  #copy = new Uint32Array(0);

  constructor(plan: StepPlan) {
    this.#inputs = plan.custom ? ['px', 'py', 'pz', 'mass', 'radius', ...plan.kernel.attributes] : ['px', 'py', 'pz', 'mass'];
    this.#usesTime = plan.usesTime;
  }

  invalidate(): void {
    this.#valid = false;
  }

  #column(state: ParticleState, name: string): Float32Array {
    return (COLUMNS as readonly string[]).includes(name) ? state.column(name as (typeof COLUMNS)[number]) : state.attribute(name);
  }

  /** Whether the cached accelerations were computed from `state` exactly as it is now, at step `step`. */
  isValidFor(state: ParticleState, topology: number, step: number): boolean {
    if (!this.#valid || state.count !== this.#count || topology !== this.#topology) return false;
    if (this.#usesTime && step !== this.#step) return false;
    const n = this.#count;
    const copy = this.#copy;
    for (let k = 0; k < this.#inputs.length; k++) {
      const col = this.#column(state, this.#inputs[k]);
      const bits = new Uint32Array(col.buffer, col.byteOffset, n);
      const base = k * n;
      for (let i = 0; i < n; i++) if (bits[i] !== copy[base + i]) return false;
    }
    return true;
  }

  /** Records that the cached accelerations now belong to `state` as it is now, at step `step`. */
  remember(state: ParticleState, topology: number, step: number): void {
    const n = state.count;
    const m = this.#inputs.length;
    if (this.#copy.length < m * n) this.#copy = new Uint32Array(m * n);
    for (let k = 0; k < m; k++) {
      const col = this.#column(state, this.#inputs[k]);
      this.#copy.set(new Uint32Array(col.buffer, col.byteOffset, n), k * n);
    }
    this.#count = n;
    this.#topology = topology;
    this.#step = step;
    this.#valid = true;
  }
}
