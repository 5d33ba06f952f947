import { COLUMNS, type Column, type ParticleState, type Vector3 } from '@brokenrecord/core';
import { expect } from 'vitest';

/**
 * Comparisons of states and numbers with messages that say which particle, column and tolerance
 * failed, so a red test names the broken physics instead of printing two long arrays.
 */

/** The raw bits of every column (NaN payloads and −0 included), detached from the live state. */
export function columnBits(state: ParticleState): Record<Column, Uint32Array> {
  const bits = {} as Record<Column, Uint32Array>;
  for (const c of COLUMNS) {
    const col = state.column(c);
    bits[c] = new Uint32Array(new Float32Array(col).buffer);
  }
  return bits;
}

/** Describes the first bit that differs between two states, or returns null when they are identical. */
export function firstBitDifference(
  actual: ParticleState | Record<Column, Uint32Array>,
  expected: ParticleState | Record<Column, Uint32Array>,
): string | null {
  const a = isBits(actual) ? actual : columnBits(actual);
  const b = isBits(expected) ? expected : columnBits(expected);
  for (const c of COLUMNS) {
    if (a[c].length !== b[c].length) return `${c} has ${a[c].length} values, expected ${b[c].length}`;
    for (let i = 0; i < a[c].length; i++) {
      if (a[c][i] !== b[c][i]) {
        return `${c}[${i}] = ${bitsToFloat(a[c][i])} (0x${hex(a[c][i])}), expected ${bitsToFloat(b[c][i])} (0x${hex(b[c][i])})`;
      }
    }
  }
  return null;
}

/** Asserts two states hold bit-identical columns. */
export function expectBitwiseEqual(
  actual: ParticleState | Record<Column, Uint32Array>,
  expected: ParticleState | Record<Column, Uint32Array>,
  what: string,
): void {
  const difference = firstBitDifference(actual, expected);
  expect(difference, `${what}: ${difference}`).toBeNull();
}

/**
 * Largest |actual − expected| over a column, divided by the column's magnitude (its largest
 * |expected| value). Relative to the column rather than to each value, because a value that
 * happens to cross zero has no meaningful relative error of its own.
 */
export function columnRelativeDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): { relative: number; index: number } {
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = { relative: 0, index: -1 };
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    // NaN must fail: `!(diff <= x)` is true for NaN.
    const relative = diff === 0 ? 0 : scale > 0 && Number.isFinite(diff) ? diff / scale : Infinity;
    if (!(relative <= worst.relative)) worst = { relative, index: i };
  }
  return worst;
}

/** Asserts every listed column of `actual` is within `relative` of `expected` (see columnRelativeDifference). */
export function expectColumnsClose(
  actual: ParticleState,
  expected: ParticleState,
  relative: number,
  what: string,
  columns: readonly Column[] = COLUMNS,
): void {
  expect(actual.count, `${what}: particle count`).toBe(expected.count);
  for (const c of columns) {
    const { relative: r, index } = columnRelativeDifference(actual.column(c), expected.column(c));
    expect(
      r,
      `${what}: ${c}[${index}] = ${actual.column(c)[index]}, expected ${expected.column(c)[index]} (relative to the column: ${r}, allowed ${relative})`,
    ).toBeLessThanOrEqual(relative);
  }
}

/** Asserts |actual − expected| ≤ tolerance, naming the quantity. */
export function expectNear(actual: number, expected: number, tolerance: number, what: string): void {
  const diff = Math.abs(actual - expected);
  expect(diff, `${what}: got ${actual}, expected ${expected} ± ${tolerance} (off by ${diff})`).toBeLessThanOrEqual(tolerance);
}

/** Asserts each component of a vector is within `tolerance` of the expected one. */
export function expectVectorNear(actual: readonly number[], expected: readonly number[], tolerance: number, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let k = 0; k < expected.length; k++) expectNear(actual[k], expected[k], tolerance, `${what}[${k}]`);
}

export function norm(v: readonly number[]): number {
  return Math.hypot(...v);
}

export function sub(a: Vector3 | readonly number[], b: Vector3 | readonly number[]): number[] {
  return a.map((x, k) => x - b[k]);
}

function isBits(x: unknown): x is Record<Column, Uint32Array> {
  return !!x && typeof x === 'object' && (x as Record<string, unknown>).px instanceof Uint32Array;
}

const hex = (v: number) => v.toString(16).padStart(8, '0');

function bitsToFloat(bits: number): number {
  return new Float32Array(new Uint32Array([bits]).buffer)[0];
}
