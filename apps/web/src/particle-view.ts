import type { ParticleState } from '@brokenrecord/core';
import { fitWindow, minDotPixels, type ViewWindow } from './view-window';

/**
 * Draws particles from a host copy of the state on a 2D canvas, looking down the z axis: the view
 * for backends whose state lives on the host anyway. A translucent wash instead of a clear leaves
 * short trails.
 */
export class ParticleView {
  readonly #ctx: CanvasRenderingContext2D;
  #window: ViewWindow = { cx: 0, cy: 0, half: 1, heavy: Infinity };

  constructor(readonly canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser gives no 2D canvas context');
    this.#ctx = ctx;
  }

  fit(state: ParticleState): void {
    this.#window = fitWindow(state);
    this.#ctx.fillStyle = '#05070d';
    this.#ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  draw(state: ParticleState): void {
    const ctx = this.#ctx;
    const { width, height } = this.canvas;
    const { cx, cy, half, heavy: heavyMass } = this.#window;
    const scale = Math.min(width, height) / (2 * half);
    ctx.fillStyle = 'rgba(5, 7, 13, 0.35)';
    ctx.fillRect(0, 0, width, height);
    const { px, py, mass, radius, count } = state;
    const minDot = minDotPixels(count);
    for (let i = 0; i < count; i++) {
      const x = width / 2 + (px[i] - cx) * scale;
      const y = height / 2 - (py[i] - cy) * scale;
      const heavy = mass[i] >= heavyMass;
      ctx.fillStyle = heavy ? '#ffcc55' : '#8fd3ff';
      ctx.beginPath();
      ctx.arc(x, y, Math.max(heavy ? minDot * 2 : minDot, radius[i] * scale), 0, 2 * Math.PI);
      ctx.fill();
    }
  }
}
