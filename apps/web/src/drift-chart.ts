/** Drift values below this are drawn at the floor: log10(0) has no place on the axis. */
const FLOOR = 1e-12;
/** Points kept; when full, every other one is dropped so the whole run stays on the chart. */
const CAPACITY = 512;

/**
 * A line chart of relative energy drift against step on a log scale: drift spans many decades
 * (rounding noise near 1e-8, a real leak near 1e-3), which a linear axis would flatten to zero.
 */
export class DriftChart {
  readonly #ctx: CanvasRenderingContext2D;
  #steps: number[] = [];
  #values: number[] = [];

  constructor(readonly canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser gives no 2D canvas context');
    this.#ctx = ctx;
  }

  clear(): void {
    this.#steps = [];
    this.#values = [];
    this.draw();
  }

  push(step: number, drift: number): void {
    this.#steps.push(step);
    this.#values.push(Math.log10(Math.max(Number.isFinite(drift) ? drift : 1, FLOOR)));
    if (this.#steps.length > CAPACITY) {
      this.#steps = this.#steps.filter((_, i) => i % 2 === 0);
      this.#values = this.#values.filter((_, i) => i % 2 === 0);
    }
    this.draw();
  }

  draw(): void {
    const ctx = this.#ctx;
    const { width, height } = this.canvas;
    const left = 48,
      right = 8,
      top = 8,
      bottom = 20;
    ctx.fillStyle = '#0b0f1a';
    ctx.fillRect(0, 0, width, height);
    // Whole decades around the data, at least two, so the labels are readable numbers.
    const lo = Math.floor(Math.min(-10, ...this.#values));
    const hi = Math.ceil(Math.max(lo + 2, ...this.#values));
    const first = this.#steps[0] ?? 0;
    const last = Math.max(this.#steps[this.#steps.length - 1] ?? 1, first + 1);
    const x = (s: number) => left + ((s - first) / (last - first)) * (width - left - right);
    const y = (v: number) => top + ((hi - v) / (hi - lo)) * (height - top - bottom);
    ctx.font = '11px monospace';
    ctx.fillStyle = '#7f8aa3';
    ctx.strokeStyle = '#1e2740';
    ctx.lineWidth = 1;
    const every = Math.ceil((hi - lo) / 4);
    for (let d = lo; d <= hi; d += every) {
      ctx.beginPath();
      ctx.moveTo(left, y(d));
      ctx.lineTo(width - right, y(d));
      ctx.stroke();
      ctx.fillText(`1e${d}`, 4, y(d) + 4);
    }
    ctx.fillText(`step ${first}`, left, height - 5);
    const end = `step ${last}`;
    ctx.fillText(end, width - right - ctx.measureText(end).width, height - 5);
    if (this.#values.length === 0) return;
    ctx.strokeStyle = '#ff7a59';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    this.#values.forEach((v, i) => (i === 0 ? ctx.moveTo(x(this.#steps[i]), y(v)) : ctx.lineTo(x(this.#steps[i]), y(v))));
    ctx.stroke();
  }
}
