/** Steps per second over the last second or so: smooth enough to read, quick to follow changes. */
export class RateMeter {
  #samples: { time: number; steps: number }[] = [];

  reset(): void {
    this.#samples = [];
  }

  record(time: number, steps: number): number {
    this.#samples.push({ time, steps });
    while (this.#samples.length > 2 && time - this.#samples[1].time >= 1000) this.#samples.shift();
    const first = this.#samples[0];
    const elapsed = time - first.time;
    return elapsed > 0 ? ((steps - first.steps) * 1000) / elapsed : 0;
  }
}
