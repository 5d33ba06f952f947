import { defineSystem, pairwiseGravity, ParticleState, GRAVITY_TREE_MIN_COUNT, type SystemDefinition } from '@brokenrecord/core';
import { Random } from '@brokenrecord/conformance';
import { describe, expect, it } from 'vitest';
import { avx2Context, describeNative, usableIsas } from './helpers.js';

// pairwiseGravity on the Barnes–Hut tree (docs/physics.md "Gravity by tree"), against the all-pairs
// kernels of this same backend: relative force errors on a Plummer sphere, bitwise determinism
// across thread counts, every instruction set, the tree's potential energy, and `auto`.

/** A Plummer sphere in Hénon units (total mass 1, scale a = 3π/16), at rest. */
function plummer(n: number, seed: number): ParticleState {
  const rng = new Random(seed);
  const s = ParticleState.create(n);
  const a = (3 * Math.PI) / 16;
  for (let i = 0; i < n; i++) {
    // Mass fraction X in (0, 0.999): r = a / sqrt(X^(-2/3) - 1), cut at the 99.9% radius.
    const r = a / Math.sqrt(Math.pow(rng.uniform(1e-9, 0.999), -2 / 3) - 1);
    const cosT = rng.uniform(-1, 1);
    const phi = rng.uniform(0, 2 * Math.PI);
    const sinT = Math.sqrt(1 - cosT * cosT);
    s.px[i] = r * sinT * Math.cos(phi);
    s.py[i] = r * sinT * Math.sin(phi);
    s.pz[i] = r * cosT;
    s.mass[i] = 1 / n;
  }
  return s;
}

function gravity(method: 'direct' | 'tree' | 'auto', theta = 0.5): SystemDefinition {
  return defineSystem({ integrator: 'euler', rules: [pairwiseGravity({ G: 1, softening: 0.01, method, theta })] });
}

const DT = 1 / 1024;

/** Accelerations from one euler step from rest: v = fma(a, dt, 0) = a·dt rounded once. */
function accelerations(system: SystemDefinition, initial: ParticleState, options: { isa?: string; threads?: number } = {}) {
  const state = initial.clone();
  const ctx = avx2Context(system, state, { dt: DT, threads: options.threads ?? 2, ...(options.isa ? { isa: options.isa as never } : {}) });
  ctx.step(1);
  ctx.dispose();
  return { ax: state.vx.map((v) => v / DT), ay: state.vy.map((v) => v / DT), az: state.vz.map((v) => v / DT), state };
}

type Accel = ReturnType<typeof accelerations>;

function relativeErrors(a: Accel, b: Accel): number[] {
  const errors: number[] = [];
  for (let i = 0; i < a.ax.length; i++) {
    const dx = a.ax[i] - b.ax[i],
      dy = a.ay[i] - b.ay[i],
      dz = a.az[i] - b.az[i];
    errors.push(Math.hypot(dx, dy, dz) / Math.hypot(b.ax[i], b.ay[i], b.az[i]));
  }
  return errors.sort((x, y) => x - y);
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

describeNative('pairwiseGravity on the tree', () => {
  const N = 4096;
  const sphere = plummer(N, 7);
  const direct = accelerations(gravity('direct'), sphere);

  it('θ = 0.5: median relative force error ≤ 1e-3 and 99th percentile ≤ 1e-2 against all pairs; smaller θ is more accurate', () => {
    const medians: number[] = [];
    for (const theta of [0.7, 0.5, 0.3]) {
      const errors = relativeErrors(accelerations(gravity('tree', theta), sphere), direct);
      medians.push(quantile(errors, 0.5));
      if (theta === 0.5) {
        expect(quantile(errors, 0.5)).toBeLessThanOrEqual(1e-3);
        expect(quantile(errors, 0.99)).toBeLessThanOrEqual(1e-2);
      }
    }
    expect(medians[1]).toBeLessThan(medians[0]);
    expect(medians[2]).toBeLessThan(medians[1]);
    // θ → small opens every node: the tree becomes the direct sum (up to the float sums' order).
    const exact = relativeErrors(accelerations(gravity('tree', 1e-4), sphere), direct);
    expect(quantile(exact, 1)).toBeLessThan(1e-5);
  });

  it('is bitwise identical for every thread count (each particle walks alone)', () => {
    const one = accelerations(gravity('tree'), sphere, { threads: 1 }).state;
    for (const threads of [2, 3]) {
      const other = accelerations(gravity('tree'), sphere, { threads }).state;
      expect(Buffer.from(other.vx.buffer).equals(Buffer.from(one.vx.buffer))).toBe(true);
      expect(Buffer.from(other.vy.buffer).equals(Buffer.from(one.vy.buffer))).toBe(true);
      expect(Buffer.from(other.vz.buffer).equals(Buffer.from(one.vz.buffer))).toBe(true);
    }
  });

  for (const isa of ['scalar', 'avx2', 'avx512'] as const) {
    it.skipIf(!usableIsas().includes(isa))(`${isa}: meets the accuracy bar, and agrees with the other instruction sets`, () => {
      const tree = accelerations(gravity('tree'), sphere, { isa });
      const errors = relativeErrors(tree, direct);
      expect(quantile(errors, 0.5)).toBeLessThanOrEqual(1e-3);
      expect(quantile(errors, 0.99)).toBeLessThanOrEqual(1e-2);
      // The same walk: only 1/sqrt differs (and, rarely, a decision at the threshold it flips).
      const against = relativeErrors(tree, accelerations(gravity('tree'), sphere, { isa: 'scalar' }));
      expect(quantile(against, 0.99)).toBeLessThan(1e-5);
    });
  }

  it("the potential energy is the tree's: close to the all-pairs sum, and the same for every thread count", () => {
    const potential = (method: 'direct' | 'tree', threads: number) => {
      const ctx = avx2Context(gravity(method), sphere.clone(), { dt: DT, threads });
      const u = ctx.diagnostics().potential;
      ctx.dispose();
      return u;
    };
    const exact = potential('direct', 2);
    const tree = potential('tree', 2);
    expect(Math.abs(tree - exact) / Math.abs(exact)).toBeLessThan(1e-4);
    expect(tree).not.toBe(exact);
    expect(potential('tree', 1)).toBe(tree);
  });

  it(`'auto' runs the tree from GRAVITY_TREE_MIN_COUNT (${GRAVITY_TREE_MIN_COUNT}) particles up, all pairs below`, () => {
    const small = plummer(GRAVITY_TREE_MIN_COUNT - 1, 3);
    const large = plummer(GRAVITY_TREE_MIN_COUNT, 3);
    const same = (a: Accel, b: Accel) => Buffer.from(a.state.vx.buffer).equals(Buffer.from(b.state.vx.buffer));
    expect(same(accelerations(gravity('auto'), small), accelerations(gravity('direct'), small))).toBe(true);
    expect(same(accelerations(gravity('auto'), large), accelerations(gravity('tree'), large))).toBe(true);
    expect(same(accelerations(gravity('auto'), large), accelerations(gravity('direct'), large))).toBe(false);
  });

  describe('edge cases', () => {
    it('one particle feels nothing; at most a leaf of particles is the direct sum', () => {
      const one = ParticleState.from({ position: [[1, 2, 3]], mass: [2] });
      expect(Array.from(accelerations(gravity('tree'), one).ax)).toEqual([0]);
      const few = plummer(8, 5);
      expect(quantile(relativeErrors(accelerations(gravity('tree'), few), accelerations(gravity('direct'), few)), 1)).toBeLessThan(1e-6);
    });

    it('more than LEAF coincident particles share one key and stay one leaf (level 21), summed directly', () => {
      const n = 40;
      const pile = ParticleState.from({
        position: Array.from({ length: n }, (_, i) => (i < 20 ? [0.5, 0.5, 0.5] : [i, -i, 0.5 * i])),
        mass: Array.from({ length: n }, () => 1),
      });
      // θ this small opens every node with an extent; the pile has none (s = 0) but contains each
      // of its particles, so it is opened for them and summed directly, skipping each by index.
      const tree = accelerations(gravity('tree', 1e-4), pile);
      expect(tree.ax.every(Number.isFinite)).toBe(true);
      const direct = accelerations(gravity('direct'), pile);
      const errors = Array.from({ length: n }, (_, i) => {
        const d = Math.hypot(tree.ax[i] - direct.ax[i], tree.ay[i] - direct.ay[i], tree.az[i] - direct.az[i]);
        return d / Math.hypot(direct.ax[i], direct.ay[i], direct.az[i]);
      });
      // The pile is pulled one way (no cancellation): float rounding only.
      expect(Math.max(...errors.slice(0, 20))).toBeLessThan(1e-5);
      expect(Math.max(...errors.slice(20))).toBeLessThan(1e-3);
    });
  });
});
