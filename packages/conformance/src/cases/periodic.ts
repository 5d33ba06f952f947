import {
  bondForce,
  collisions,
  compileKernelPlan,
  computeDiagnostics,
  defineSystem,
  pairForce,
  ParticleState,
  periodic,
  type Rule,
  type Vec3,
} from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import { SLOW_CASE_TIMEOUT, type SuiteContext } from '../context.js';
import { expectNear } from '../helpers/compare.js';
import { bruteForceContactVelocities } from '../helpers/brute-force-collisions.js';
import { U } from '../helpers/float32.js';
import { float32ForceTolerance, forcesFromOneEulerStep, referenceForces } from '../helpers/forces.js';
import { fccLatticeConstant, fccPositions } from '../helpers/lattice.js';
import { Random } from '../helpers/random.js';

/**
 * Periodic boundaries (docs/physics.md, "Rules written as expressions"): positions are wrapped
 * into [min, max) after the drift, and cutoff pair forces, bond forces and collisions see the
 * nearest image d − L·round(d/L).
 */

const LJ = '4*((1/r)^12 - (1/r)^6)';
const AXES = ['px', 'py', 'pz'] as const;

/** Every position inside [min, max) on every axis. */
function expectInsideBox(state: ParticleState, min: Vec3, max: Vec3, what: string): void {
  AXES.forEach((c, k) => {
    const lo = Math.fround(min[k]);
    const hi = Math.fround(max[k]);
    const col = state.column(c);
    for (let i = 0; i < state.count; i++) {
      const x = col[i];
      expect(x >= lo && x < hi, `${what}: ${c}[${i}] = ${x} outside [${lo}, ${hi})`).toBe(true);
    }
  });
}

/** Nearest-image distance between particles i and j of a state in a box of side lengths L. */
function imageDistance(state: ParticleState, i: number, j: number, L: readonly number[] | null): number {
  const d = AXES.map((c, k) => {
    const raw = state.column(c)[j] - state.column(c)[i];
    return L ? raw - L[k] * Math.round(raw / L[k]) : raw;
  });
  return Math.hypot(d[0], d[1], d[2]);
}

export function periodicCases(ctx: SuiteContext): void {
  describe('periodic boundaries', () => {
    it.skipIf(!ctx.supports('periodic'))(
      'wraps positions into [min, max) after the drift, exactly as x − L·floor((x − lo)/L)',
      async () => {
        const min: Vec3 = [-2, 0, 1];
        const max: Vec3 = [3, 4, 2.5];
        const L = [5, 4, 1.5];
        const dt = 0.25;
        // Positions and displacements on a 2⁻⁶ grid and a box on a ½ grid: every sum and every wrap
        // is exact in float32, so the expected positions are exact too.
        const start = ParticleState.from({
          position: [
            [0, 1, 2],
            [2.5, 3.5, 1.25],
            [-1.5, 0.25, 2.25],
            [0.5, 2, 1.5],
            [2.75, 3.875, 2.375],
            [1, 0, 1],
          ],
          velocity: [
            [2, 0, 0], // +x: lands exactly on max after 6 steps
            [1, 2, 0.5], // leaves through max on x and y
            [-4, -1, -2], // leaves through min on every axis, 1 to 3 box lengths per 8 steps
            [41.25, -66, 24.75], // several box lengths per step in both directions
            [1, 0.5, 0.5], // lands exactly on max (x after 1 step, y after 1, z after 1): must become min
            [0, -(2 ** -28), 0], // y = −2⁻³⁰ after the drift: x + L rounds to lo + L in float32, so becomes lo
          ],
          mass: 1,
        });
        const system = defineSystem({ integrator: 'euler', rules: [periodic({ min, max })] });
        const sim = await ctx.create(system, start.clone(), dt);
        const x = AXES.map((c) => Array.from(start.column(c)));
        for (let s = 1; s <= 12; s++) {
          await sim.step(1);
          const now = await sim.read();
          expectInsideBox(now, min, max, `after ${s} steps`);
          if (s === 1) expect([now.px[4], now.py[4], now.pz[4]], 'a particle landing exactly on max is put at min').toEqual([-2, 0, 1]);
          AXES.forEach((c, k) => {
            const v = start.column((['vx', 'vy', 'vz'] as const)[k]);
            for (let i = 0; i < start.count; i++) {
              let p = Math.fround(x[k][i] + v[i] * dt);
              p = Math.fround(p - L[k] * Math.floor((p - min[k]) / L[k]));
              if (p >= min[k] + L[k]) p = min[k];
              x[k][i] = p;
              expect(now.column(c)[i], `${c}[${i}] after ${s} steps`).toBe(p);
            }
          });
          // No force acts: velocities are untouched by the wrap.
          for (const c of ['vx', 'vy', 'vz'] as const)
            expect(Array.from(now.column(c)), `${c} after ${s} steps`).toEqual(Array.from(start.column(c)));
        }
        const end = await sim.read();
        expect(end.py[5], 'a tiny step below min wraps to lo, not to lo + L').toBe(0);
      },
    );

    it.skipIf(!ctx.supports('pairForce', 'bondForce', 'periodic'))(
      'a pair (and a bond) straddling a face, an edge or a corner feels the force of the unwrapped pair',
      async () => {
        const box = { min: [0, 0, 0] as Vec3, max: [10, 10, 10] as Vec3 };
        const L = [10, 10, 10];
        // [first, second as stored in the box, the shift of the second that unwraps the pair]
        const pairs: [number[], number[], number[]][] = [
          [
            [0.3, 5, 5],
            [9.4, 5.2, 5.1],
            [-10, 0, 0],
          ], // face x
          [
            [5, 0.2, 1.8],
            [5.3, 9.5, 2.2],
            [0, -10, 0],
          ], // face y (bonded)
          [
            [8.9, 5, 0.15],
            [0.3, 5.3, 9.3],
            [10, 0, -10],
          ], // edge x–z
          [
            [0.2, 0.3, 9.9],
            [9.5, 9.6, 0.6],
            [-10, -10, 10],
          ], // corner (bonded)
        ];
        const wrapped = pairs.flatMap(([a, b]) => [a, b]);
        const unwrapped = pairs.flatMap(([a, b, shift]) => [a, b.map((v, k) => v + shift[k])]);
        const mass = [1, 2, 0.5, 4, 2, 1, 1, 0.5];
        const rules = (withBox: boolean): Rule[] => [
          pairForce({ energy: LJ, cutoff: 2.5 }),
          bondForce({
            energy: '5*(r - 1.5)^2',
            bonds: [
              [2, 3],
              [6, 7],
            ],
          }),
          ...(withBox ? [periodic(box)] : []),
        ];
        const inBox = ParticleState.from({ position: wrapped, mass });
        const free = ParticleState.from({ position: unwrapped, mass });
        // The scene: within each pair the image distance is < 2.5 and the pairs are farther apart.
        for (let i = 0; i < 8; i++) {
          for (let j = i + 1; j < 8; j++) {
            const near = j === i + 1 && i % 2 === 0;
            const r = imageDistance(inBox, i, j, L);
            expect(near ? r < 2.4 : r > 3, `scene: pair ${i}-${j} at ${r}`).toBe(true);
            if (near) expectNear(imageDistance(free, i, j, null), r, 1e-5, `scene: unwrapped pair ${i}-${j}`);
            else expect(imageDistance(free, i, j, null), `scene: unwrapped ${i}-${j}`).toBeGreaterThan(3);
          }
        }
        const periodicSystem = defineSystem({ integrator: 'euler', rules: rules(true) });
        const freeSystem = defineSystem({ integrator: 'euler', rules: rules(false) });
        const dt = 2 ** -10;
        const inBoxSim = await ctx.create(periodicSystem, inBox.clone(), dt);
        const freeSim = await ctx.create(freeSystem, free.clone(), dt);
        // The float64 reference on the state as the simulation holds it (with the bonds installed).
        const reference = referenceForces(compileKernelPlan(freeSystem, dt), (await freeSim.read()).clone());
        expect(reference.potentialTerms, 'two bonds and four pairs').toBe(6);
        const inBoxForces = await forcesFromOneEulerStep(inBoxSim);
        const freeForces = await forcesFromOneEulerStep(freeSim);
        for (let i = 0; i < 8; i++) {
          for (let k = 0; k < 3; k++) {
            // Both are float32 evaluations of the same pair: the image d − L·round(d/L) adds at most
            // 2 U·L to d, which moves the force by (r|f′| + |f|)·2U·L/r.
            const r = imageDistance(free, i, i ^ 1, null);
            const tolerance = 2 * float32ForceTolerance(reference, i, k) + (reference.slack[k][i] * 2 * U * L[k]) / r;
            expectNear(inBoxForces[k][i], freeForces[k][i], tolerance, `particle ${i} axis ${k}: periodic vs unwrapped force`);
            expectNear(
              inBoxForces[k][i],
              reference.force[k][i],
              float32ForceTolerance(reference, i, k) + (reference.slack[k][i] * 2 * U * L[k]) / r,
              `particle ${i} axis ${k}: periodic vs float64`,
            );
          }
          expect(
            Math.hypot(reference.force[0][i], reference.force[1][i], reference.force[2][i]),
            `particle ${i} feels a force`,
          ).toBeGreaterThan(0.01);
        }
      },
    );

    for (const [label, side, cutoff, n] of [
      ['3 cells per axis', 8, 2.5, 80],
      ['2 cells per axis (a neighbour cell is both left and right)', 4.4, 2.2, 14],
    ] as const) {
      it.skipIf(!ctx.supports('pairForce', 'periodic'))(
        `cutoff pair forces with the nearest image equal brute force over all pairs (${label})`,
        async () => {
          const random = new Random(side === 8 ? 1101 : 1102);
          const L = [side, side, side];
          const positions: number[][] = [];
          const scratch = (p: number[]) => ParticleState.from({ position: [...positions, p], mass: 1 });
          // Random points at least 0.9 apart (nearest image), none within 10⁻³ of the cutoff, where
          // float32 rounding could decide whether a pair interacts.
          for (let attempt = 0; positions.length < n; attempt++) {
            if (attempt > 200_000) throw new Error('could not place the particles');
            const p = [random.uniform(0, side), random.uniform(0, side), random.uniform(0, side)];
            const s = scratch(p);
            let ok = true;
            for (let j = 0; j < positions.length && ok; j++) {
              const r = imageDistance(s, j, positions.length, L);
              ok = r >= 0.9 && Math.abs(r - cutoff) > 1e-3;
            }
            if (ok) positions.push(p);
          }
          const state = ParticleState.from({
            position: positions,
            mass: positions.map((_, i) => [1, 2, 0.5][i % 3]),
            attributes: { sigma: positions.map(() => random.uniform(0.85, 1.05)) },
          });
          const system = defineSystem({
            integrator: 'euler',
            rules: [
              pairForce({ energy: '4*((s/r)^12 - (s/r)^6); s = 0.5*(sigma1 + sigma2)', perParticle: ['sigma'], cutoff, shift: true }),
              periodic({ min: [0, 0, 0], max: [side, side, side] }),
            ],
          });
          const dt = 2 ** -10;
          const reference = referenceForces(compileKernelPlan(system, dt), state);
          const backend = await forcesFromOneEulerStep(await ctx.create(system, state.clone(), dt));
          let crossing = 0;
          for (let i = 0; i < n; i++) {
            for (let j = i + 1; j < n; j++)
              if (imageDistance(state, i, j, L) < cutoff && imageDistance(state, i, j, null) >= cutoff) crossing++;
            for (let k = 0; k < 3; k++) {
              // As above: the image adds ≤ 2 U·L to d (r ≥ 0.9).
              const tolerance = float32ForceTolerance(reference, i, k) + (reference.slack[k][i] * 2 * U * side) / 0.9;
              expectNear(backend[k][i], reference.force[k][i], tolerance, `particle ${i} axis ${k}: backend vs brute-force nearest image`);
            }
          }
          expect(crossing, 'pairs that interact only through the boundary').toBeGreaterThan(n / 4);
          // The energy through the images too: core's reference (its grid) against the brute-force sum.
          expectNear(
            computeDiagnostics(state, system).potential,
            reference.potential,
            1e-12 * reference.potentialMagnitude,
            'core potential vs brute force',
          );
        },
      );
    }

    it.skipIf(!ctx.supports('collisions', 'periodic'))(
      'two spheres touching through a face collide as the unwrapped pair does',
      async () => {
        const e = 0.8;
        const box = periodic({ min: [0, 0, 0], max: [10, 10, 10] });
        // Radii 0.3: the image distance 0.4 < 0.6, approaching along x through the face x = 0.
        const make = (x2: number) =>
          ParticleState.from({
            position: [
              [0.1, 5, 5],
              [x2, 5, 5],
            ],
            velocity: [
              [-0.5, 0.1, 0],
              [0.75, 0, -0.2],
            ],
            mass: [1, 2],
            radius: 0.3,
          });
        const expected = bruteForceContactVelocities(make(-0.3), e);
        expect(expected.pairs, 'the unwrapped pair collides').toBe(1);
        const sim = await ctx.create(
          defineSystem({ integrator: 'euler', rules: [collisions({ restitution: e }), box] }),
          make(9.7),
          2 ** -10,
        );
        await sim.step(1);
        const end = await sim.read();
        for (let i = 0; i < 2; i++) {
          for (const c of ['vx', 'vy', 'vz'] as const) {
            expectNear(end.column(c)[i], expected[c][i], 8 * U * 1, `particle ${i} ${c} after the contact`);
          }
        }
      },
    );

    it.skipIf(!ctx.supports('pairForce', 'periodic'))(
      'a periodic Lennard-Jones fluid (fcc start, ρ = 0.8442, rc = 2.5, shift) keeps momentum to 1e-6 and energy within its bound over 2,000 Verlet steps',
      { timeout: SLOW_CASE_TIMEOUT },
      async () => {
        const cells = 5;
        const rho = 0.8442;
        const a = fccLatticeConstant(rho);
        const side = cells * a;
        const positions = fccPositions(cells, a);
        const n = positions.length; // 500
        const T0 = 1.44; // melts the lattice to a liquid near T = 0.7
        const random = new Random(1201);
        const velocity = positions.map(() => [0, 1, 2].map(() => random.gaussian() * Math.sqrt(T0)));
        for (let k = 0; k < 3; k++) {
          const mean = velocity.reduce((s, v) => s + v[k], 0) / n;
          for (const v of velocity) v[k] -= mean;
        }
        const rc = 2.5;
        const dt = 0.005;
        const steps = 2000;
        const every = 50;
        const box = { min: [0, 0, 0] as Vec3, max: [side, side, side] as Vec3 };
        const system = defineSystem({ integrator: 'verlet', rules: [pairForce({ energy: LJ, cutoff: rc, shift: true }), periodic(box)] });
        expect(system.rules[1].conserves, 'periodic breaks angular momentum').not.toContain('angularMomentum');
        const start = ParticleState.from({ position: positions, velocity, mass: 1 });
        const d0 = computeDiagnostics(start, system);
        let momentumScale = 0;
        for (let i = 0; i < n; i++) momentumScale += Math.hypot(start.vx[i], start.vy[i], start.vz[i]);

        // Energy bound. Verlet keeps a shadow energy; for a harmonic mode of frequency ω the energy
        // itself oscillates by (ωdt)²/4 of the mode's energy, so all modes together, in phase, by at
        // most (ω_max·dt)²/4·2K (equipartition: the modes hold 2K). ω_max² = U″(r₀)/μ = 144/2^{1/3}
        // for a pair at the well bottom (μ = ½). (Modes in random phases would give √(3N) times
        // less: what the reference backend shows.)
        // Truncating the force at rc (shift makes only the energy continuous) adds, for every pair
        // crossing rc during a step, an error up to |F(rc)|·|v_r|·dt of either sign: a random walk
        // over crossings ≈ N·ρ·4πrc²·⟨|v_r|⟩·dt/2 per step, ⟨|v_r|⟩ = sqrt(4T/π); four of those.
        const omegaMax = Math.sqrt(144 / 2 ** (1 / 3));
        const Frc = Math.abs(24 * (2 / rc ** 13 - 1 / rc ** 7));
        const bound = (K: number, T: number, done: number) => {
          const vr = Math.sqrt((4 * T) / Math.PI);
          const crossings = ((n * rho * 4 * Math.PI * rc * rc * vr * dt) / 2) * done;
          return (
            ((omegaMax * dt) ** 2 / 4) * 2 * K +
            4 * Frc * vr * dt * Math.sqrt(crossings) +
            16 * U * Math.sqrt(done) * Math.abs(d0.potential)
          );
        };

        const sim = await ctx.create(system, start.clone(), dt);
        const errors: number[] = [];
        let worstMomentum = 0;
        for (let done = every; done <= steps; done += every) {
          await sim.step(every);
          const now = await sim.read();
          expectInsideBox(now, box.min, box.max, `after ${done} steps`);
          const d = computeDiagnostics(now, system);
          const dp = Math.hypot(...d.momentum.map((p, k) => p - d0.momentum[k]));
          worstMomentum = Math.max(worstMomentum, dp / momentumScale);
          const dE = Math.abs(d.total - d0.total);
          errors.push(dE);
          const T = (2 * d.kinetic) / (3 * n);
          expect(dE, `|E − E₀| after ${done} steps (E₀ = ${d0.total}, T = ${T})`).toBeLessThanOrEqual(bound(d.kinetic, T, done));
        }
        // Pair forces are equal and opposite; each particle sums its own in float32, so momentum
        // changes only by rounding (the bound: 1e-6 of Σ m|v|).
        expect(worstMomentum, 'largest |P − P₀| / Σ m|v|').toBeLessThanOrEqual(1e-6);
        const end = computeDiagnostics(await sim.read(), system);
        const T = (2 * end.kinetic) / (3 * n);
        expect(T, 'the lattice melted into a warm liquid').toBeGreaterThan(0.4);
        // No secular drift: the last third's typical error is not far beyond the first third's.
        const third = Math.floor(errors.length / 3);
        const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
        expect(
          mean(errors.slice(-third)),
          `mean |E − E₀| of the last third vs the first (${mean(errors.slice(0, third))})`,
        ).toBeLessThanOrEqual(2 * mean(errors.slice(0, third)) + bound(0, T, steps));
      },
    );
  });
}
