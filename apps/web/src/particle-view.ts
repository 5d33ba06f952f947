import type { ParticleState } from '@brokenrecord/core';

/** World-space window drawn on the canvas (x right, y up; z is dropped: every scenario is viewed from above). */
interface Window2D {
  cx: number;
  cy: number;
  half: number;
}

/**
 * Draws particles from a host copy of the state on a 2D canvas, looking down the z axis. The
 * window is fitted once to the initial state, not every frame, so motion stays visible instead of
 * being zoomed away. A translucent wash instead of a clear leaves short trails.
 */
export class ParticleView {
  readonly #ctx: CanvasRenderingContext2D;
  #window: Window2D = { cx: 0, cy: 0, half: 1 };
  #heavy = Infinity;

  constructor(readonly canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser gives no 2D canvas context');
    this.#ctx = ctx;
  }

  fit(state: ParticleState): void {
    const { px, py, mass, count } = state;
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (let i = 0; i < count; i++) {
      minX = Math.min(minX, px[i]); maxX = Math.max(maxX, px[i]);
      minY = Math.min(minY, py[i]); maxY = Math.max(maxY, py[i]);
    }
    const half = Math.max(maxX - minX, maxY - minY, 1e-6) * 0.55;
    this.#window = { cx: (minX + maxX) / 2, cy: (minY + maxY) / 2, half };
    // "Heavy" = well above the typical mass: the sun and the galaxy's centre get drawn as such.
    const sorted = Array.from(mass.subarray(0, count)).sort((a, b) => a - b);
    this.#heavy = 10 * (sorted[Math.floor(count / 2)] ?? 1);
    this.#ctx.fillStyle = '#05070d';
    this.#ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  draw(state: ParticleState): void {
    const ctx = this.#ctx;
    const { width, height } = this.canvas;
    const { cx, cy, half } = this.#window;
    const scale = Math.min(width, height) / (2 * half);
    ctx.fillStyle = 'rgba(5, 7, 13, 0.35)';
    ctx.fillRect(0, 0, width, height);
    const { px, py, mass, radius, count } = state;
    // Few bodies get big dots so a four-body system is visible; crowds get small ones.
    const minDot = count <= 64 ? 3 : count <= 2000 ? 1.6 : 1;
    for (let i = 0; i < count; i++) {
      const x = width / 2 + (px[i] - cx) * scale;
      const y = height / 2 - (py[i] - cy) * scale;
      const heavy = mass[i] >= this.#heavy;
      ctx.fillStyle = heavy ? '#ffcc55' : '#8fd3ff';
      ctx.beginPath();
      ctx.arc(x, y, Math.max(heavy ? minDot * 2 : minDot, radius[i] * scale), 0, 2 * Math.PI);
      ctx.fill();
    }
  }
}
