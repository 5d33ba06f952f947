import { COLUMNS, type ParticleState } from './state.js';

/**
 * What the host state held the last time it and the GPU agreed (after an upload or a readback),
 * so that the context can tell whether the user changed it since: values written into its
 * columns, particles added or removed. Compared bit for bit (NaN equals itself, −0 differs from 0).
 *
 * For backends whose state lives elsewhere (GPU memory). The rule it serves (docs/physics.md,
 * "The state between steps"): the host state is the one
 * `createSimulation` was given and `read()` returns. Edits made to it while it is current (before
 * the first step, or after a `read()` and before the next step) are uploaded before the next GPU
 * work, exactly as CPU backends step them in place. Edits made while it is stale (steps ran on the
 * GPU since it was last read) would silently mix two states: they are rejected with a
 * ValidationError.
 */
export class HostMirror {
  #count = -1;
  #bits: Uint32Array = new Uint32Array(0);

  /** Remembers every column of `host` (after an upload of it). */
  record(host: ParticleState): void {
    const n = host.count;
    if (this.#bits.length < COLUMNS.length * n) this.#bits = new Uint32Array(COLUMNS.length * n);
    this.#count = n;
    COLUMNS.forEach((c, k) => this.#bits.set(bitsOf(host.column(c)), k * n));
  }

  /** Remembers positions and velocities only (after a readback, which writes just those). */
  recordMotion(host: ParticleState): void {
    if (host.count !== this.#count) return this.record(host);
    const n = this.#count;
    for (let k = 0; k < 6; k++) this.#bits.set(bitsOf(host.column(COLUMNS[k])), k * n);
  }

  /** Whether `host` differs from what was recorded (count or any value). */
  changed(host: ParticleState): boolean {
    const n = host.count;
    if (n !== this.#count) return true;
    const bits = this.#bits;
    for (let k = 0; k < COLUMNS.length; k++) {
      const column = bitsOf(host.column(COLUMNS[k]));
      if (column.length !== n) return true;
      const at = k * n;
      for (let i = 0; i < n; i++) if (column[i] !== bits[at + i]) return true;
    }
    return false;
  }
}

function bitsOf(column: Float32Array): Uint32Array {
  return new Uint32Array(column.buffer, column.byteOffset, column.length);
}
