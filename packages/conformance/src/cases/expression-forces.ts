import {
  bondForce,
  compileKernelPlan,
  computeDiagnostics,
  defineSystem,
  externalForce,
  pairForce,
  ParticleState,
  type Integrator,
  type Rule,
  type RuleKind,
} from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { expectNear } from '../helpers/compare.js';
import { kickDriftTolerance, U } from '../helpers/float32.js';
import { finiteDifferenceForce, float32ForceTolerance, forcesFromOneEulerStep, referenceForces } from '../helpers/forces.js';
import { Random } from '../helpers/random.js';

/**
 * Force = −∇U for the rules written as energies. Three numbers per particle and axis:
 * - the backend's force, from one Euler step from rest (v₁ = a·dt; dt = 2⁻¹⁰ so the product is exact);
 * - −∂E/∂x by central differences of core's reference potential (computeDiagnostics) on displaced
 *   states, Richardson-extrapolated, with its own error bound (helpers/forces.ts);
 * - the plan's symbolic force trees summed by brute force in float64 (every pair, no grid).
 * The plan must agree with the finite differences to their error bound (core derived the force
 * from the energy correctly), and the backend with both to float32 rounding of each term
 * (float32ForceTolerance: 64 U of each term's magnitude plus the summation).
 */
const DT = 2 ** -10;
/** Finite-difference step; positions lie on a grid of 2⁻¹⁰ = h/8, so x ± h/4 are exact in float32. */
const H = 2 ** -7;
const GRID = 2 ** -10;
/** WGSL's accuracy of sin and cos on [−π, π] (absolute): far from float32's ½ ulp. */
const SIN_COS_ABSOLUTE = 2 ** -11;

/**
 * `n` points in the cube [−half, half]³ + centre on the 2⁻¹⁰ grid, pairwise (and from every point
 * of `existing`) at least `minDistance` apart, and no distance for which `reject` holds.
 */
function scatter(
  random: Random,
  n: number,
  half: number,
  minDistance: number,
  options: { reject?: (r: number) => boolean; existing?: number[][]; centre?: number[] } = {},
): number[][] {
  const { reject = () => false, existing = [], centre = [0, 0, 0] } = options;
  const points: number[][] = [];
  for (let attempt = 0; points.length < n; attempt++) {
    if (attempt > 100_000) throw new Error(`scatter: could not place ${n} points ${minDistance} apart in a cube of ${2 * half}`);
    const p = [0, 1, 2].map((k) => onGrid(centre[k] + random.uniform(-half, half)));
    const ok = [...existing, ...points].every((q) => {
      const r = Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
      return r >= minDistance && !reject(r);
    });
    if (ok) points.push(p);
  }
  return points;
}

const onGrid = (v: number) => Math.round(v / GRID) * GRID;

interface ForceScene {
  name: string;
  kinds: RuleKind[];
  rules: Rule[];
  state: () => ParticleState;
  /** Particles whose finite differences are taken (all by default; a sample for large scenes). */
  sample?: (n: number) => number[];
}

const LJ_MIXING = '4*eps*((sig/r)^12 - (sig/r)^6); sig = 0.5*(sigma1 + sigma2); eps = sqrt(epsilon1*epsilon2)';

function forceScenes(): ForceScene[] {
  const masses = [0.5, 1, 2, 4];
  return [
    {
      name: 'pairForce without cutoff: Lennard-Jones with per-particle σ, ε (Lorentz–Berthelot mixing)',
      kinds: ['pairForce'],
      rules: [pairForce({ energy: LJ_MIXING, perParticle: ['sigma', 'epsilon'] })],
      state: () => {
        const random = new Random(801);
        const position = scatter(random, 12, 1.6, 1.0);
        return ParticleState.from({
          position,
          mass: position.map((_, i) => masses[i % 4]),
          attributes: {
            sigma: position.map(() => random.uniform(0.85, 1.15)),
            epsilon: position.map(() => random.uniform(0.5, 2)),
          },
        });
      },
    },
    {
      // 72 particles: core's reference energy and the backends use their grids (≥ 64 particles),
      // and many pairs lie beyond the cutoff. No pair is within 1/64 of it, farther than any
      // displacement of the finite differences, so they never cross the cutoff.
      name: 'pairForce with cutoff 2.5 and shift: Lennard-Jones with per-particle σ, ε',
      kinds: ['pairForce'],
      rules: [pairForce({ energy: LJ_MIXING, perParticle: ['sigma', 'epsilon'], cutoff: 2.5, shift: true })],
      state: () => {
        const random = new Random(802);
        const position = scatter(random, 72, 3.5, 0.95, { reject: (r) => Math.abs(r - 2.5) < 1 / 64 });
        return ParticleState.from({
          position,
          mass: position.map((_, i) => masses[i % 4]),
          attributes: {
            sigma: position.map(() => random.uniform(0.8, 1.1)),
            epsilon: position.map(() => random.uniform(0.5, 2)),
          },
        });
      },
      sample: (n) => Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 === 0),
    },
    {
      name: 'pairForce without cutoff: Coulomb k·q1·q2/r with charges of both signs',
      kinds: ['pairForce'],
      rules: [pairForce({ energy: 'k*q1*q2/r', parameters: { k: 1.5 }, perParticle: ['q'] })],
      state: () => {
        const random = new Random(803);
        const position = scatter(random, 10, 2, 0.5);
        return ParticleState.from({
          position,
          mass: position.map((_, i) => masses[i % 4]),
          attributes: { q: position.map((_, i) => (i % 2 ? 1 : -1) * random.uniform(0.5, 2)) },
        });
      },
    },
    {
      name: 'bondForce: Morse with per-bond D and r0, and a second group reading per-particle stiffness',
      kinds: ['bondForce'],
      rules: [
        bondForce({
          energy: 'D*(1 - exp(-a*(r - r0)))^2',
          bonds: [
            [0, 1],
            [1, 2],
            [2, 3],
            [3, 4],
            [4, 5],
            [5, 6],
            [6, 7],
          ],
          perBond: { D: [1, 2, 1.5, 3, 0.5, 1, 2.5], r0: [1, 1.1, 0.9, 1.2, 1, 0.95, 1.05] },
          parameters: { a: 1.7 },
        }),
        bondForce({
          energy: 'kb*sqrt(s1*s2)*(r - L)^2',
          bonds: [
            [0, 4],
            [2, 7],
            [1, 5],
          ],
          perParticle: ['s'],
          parameters: { kb: 3, L: 2 },
          group: 'braces',
        }),
      ],
      state: () => {
        const random = new Random(804);
        // A wavy chain: neighbours about 1 apart, each bond stretched or compressed differently.
        const position = Array.from({ length: 8 }, (_, i) => [i * 1.02, random.uniform(-0.3, 0.3), random.uniform(-0.3, 0.3)].map(onGrid));
        return ParticleState.from({
          position,
          mass: position.map((_, i) => masses[i % 4]),
          attributes: { s: position.map(() => random.uniform(0.5, 2)) },
        });
      },
    },
    {
      name: "pairForce with exclude: 'bonds' beside a harmonic bondForce",
      kinds: ['pairForce', 'bondForce'],
      rules: [
        pairForce({ energy: '4*((1/r)^12 - (1/r)^6)', cutoff: 3, exclude: 'bonds' }),
        bondForce({
          energy: '0.5*k*(r - r0)^2',
          bonds: [
            [0, 1],
            [1, 2],
            [2, 3],
            [3, 4],
            [4, 5],
          ],
          parameters: { k: 20, r0: 0.8 },
        }),
      ],
      state: () => {
        const random = new Random(805);
        // A chain whose bonded neighbours sit at 0.8 (deep inside the LJ core: the exclusion must
        // work, or those pairs dominate), plus free particles around it.
        const chain = Array.from({ length: 6 }, (_, i) =>
          [i * 0.8 + random.uniform(-0.05, 0.05), random.uniform(-0.1, 0.1), 0].map(onGrid),
        );
        const free = scatter(random, 6, 2.2, 1, { existing: chain, centre: [2, 0, 0], reject: (r) => Math.abs(r - 3) < 1 / 64 });
        const position = [...chain, ...free];
        return ParticleState.from({ position, mass: position.map((_, i) => masses[i % 4]) });
      },
    },
    {
      name: 'externalForce: an anharmonic trap with a charge-dependent field and gravity (reads q and m)',
      kinds: ['externalForce'],
      rules: [
        externalForce({
          energy: '0.5*k*(x^2 + 2*y^2 + 3*z^2) + c*x^3*y - q*E*z + m*g*y',
          perParticle: ['q'],
          parameters: { k: 2, c: 0.3, E: 1.5, g: 9.81 },
        }),
      ],
      state: () => {
        const random = new Random(806);
        const position = scatter(random, 16, 2, 0.1);
        return ParticleState.from({
          position,
          mass: position.map((_, i) => masses[i % 4]),
          attributes: { q: position.map(() => random.uniform(-2, 2)) },
        });
      },
    },
  ];
}

export function expressionForceCases(ctx: SuiteContext): void {
  describe('force = −∇U for rules written as energies', () => {
    for (const scene of forceScenes()) {
      it.skipIf(!ctx.supports(...scene.kinds))(
        `${scene.name}: backend force, plan and finite differences of the energy agree`,
        async () => {
          const system = defineSystem({ integrator: 'euler', rules: scene.rules });
          const sim = await ctx.create(system, scene.state(), DT);
          // The state as the simulation holds it: bondForce installed its bonds into it.
          const state = (await sim.read()).clone();
          const plan = compileKernelPlan(system, DT);
          // No pair within 2h of a cutoff: the finite differences would straddle the truncation.
          for (const term of plan.pairs) {
            if (term.cutoff === null) continue;
            for (let i = 0; i < state.count; i++) {
              for (let j = i + 1; j < state.count; j++) {
                const r = Math.hypot(state.px[j] - state.px[i], state.py[j] - state.py[i], state.pz[j] - state.pz[i]);
                expect(Math.abs(r - term.cutoff), `scene: pair ${i}-${j} at ${r} is too close to the cutoff`).toBeGreaterThan(2 * H);
              }
            }
          }
          const reference = referenceForces(plan, state);
          const energy = (s: ParticleState) => computeDiagnostics(s, system).potential;
          if (plan.bonds.length) expect(reference.potentialTerms, 'bond energies counted').toBeGreaterThan(state.count);

          // Core's reference potential (cell grid for ≥ 64 particles) against the brute-force sum.
          expectNear(
            energy(state),
            reference.potential,
            4 * reference.potentialTerms * 2 ** -53 * reference.potentialMagnitude,
            'core potential vs brute force',
          );

          // The backend's own potential: a float32 reduction may err by (terms − 1)·U of Σ|terms|.
          const diagnostics = await sim.diagnostics();
          expectNear(
            diagnostics.potential,
            reference.potential,
            2 * reference.potentialTerms * U * reference.potentialMagnitude,
            'backend potential',
          );

          const backend = await forcesFromOneEulerStep(sim);
          const particles = scene.sample ? scene.sample(state.count) : Array.from({ length: state.count }, (_, i) => i);
          let largest = 0;
          for (const i of particles) {
            for (const k of [0, 1, 2] as const) {
              const fd = finiteDifferenceForce(energy, state, i, k, H, reference.potentialMagnitude);
              const planned = reference.force[k][i];
              largest = Math.max(largest, Math.abs(planned));
              // The plan's derivative in float64 against the finite difference: only the latter's error.
              expectNear(planned, fd.value, fd.error + 1e-12 * reference.slack[k][i], `particle ${i} axis ${k}: plan force vs −∂E/∂x`);
              expectNear(
                backend[k][i],
                fd.value,
                fd.error + float32ForceTolerance(reference, i, k),
                `particle ${i} axis ${k}: backend force vs −∂E/∂x`,
              );
            }
          }
          // The scene exerts real forces.
          expect(largest, 'largest force component').toBeGreaterThan(0.1);
        },
      );
    }

    // U = −A·sin(ωt)·x − B·cos(ωt)·y: a uniform force (A sin ωt, B cos ωt, 0) that depends on the
    // time only. Step k starts at t_k = k·dt (docs/physics.md, "Time"): Euler kicks with F(t_k),
    // Verlet with (F(t_k) + F(t_{k+1}))/2, so from rest the velocity after n steps is an exact sum.
    for (const integrator of ['euler', 'verlet'] as Integrator[]) {
      it.skipIf(!ctx.supports('externalForce'))(
        `externalForce reading t: step k uses t_k = k·dt (${integrator}), diagnostics use the current time`,
        async () => {
          const A = 3,
            B = 2,
            w = 5,
            dt = 0.01;
          const rule = externalForce({ energy: '-A*sin(w*t)*x - B*cos(w*t)*y', parameters: { A, B, w } });
          expect(rule.conserves, 'a potential that reads t conserves nothing').toEqual([]);
          const system = defineSystem({ integrator, rules: [rule] });
          const mass = [1, 2, 0.5];
          const start = ParticleState.from({
            position: [
              [0, 0, 0],
              [1, -1, 2],
              [-2, 0.5, 1],
            ],
            mass,
          });
          const sim = await ctx.create(system, start.clone(), dt);
          const F = (t: number) => [A * Math.sin(w * t), B * Math.cos(w * t), 0];
          let done = 0;
          for (const n of [10, 37]) {
            await sim.step(n - done);
            done = n;
            const end = await sim.read();
            // impulse per unit mass and displacement, summed step by step as the integrator does
            const v = [0, 0, 0];
            const x = [0, 0, 0];
            for (let s = 0; s < n; s++) {
              const a0 = F(s * dt);
              const a1 = F((s + 1) * dt);
              for (let k = 0; k < 3; k++) {
                if (integrator === 'euler') {
                  v[k] += a0[k] * dt;
                  x[k] += v[k] * dt;
                } else {
                  const half = v[k] + (a0[k] * dt) / 2;
                  x[k] += half * dt;
                  v[k] = half + (a1[k] * dt) / 2;
                }
              }
            }
            for (let i = 0; i < mass.length; i++) {
              const aMax = Math.max(A, B) / mass[i];
              const tol = kickDriftTolerance({ n, dt, xMax: 3 + n * aMax * dt * n * dt, vMax: n * aMax * dt, aMax });
              // On top of the kick-drift rounding: the force itself, whose sin and cos WGSL evaluates
              // to 2⁻¹¹ absolute on [−π, π] (ω·t stays below 2 here), an error per kick of SIN·aMax.
              // Reading t_{k+1} instead of t_k would be off by ω·dt·aMax = 0.05·aMax per kick.
              const forceError = (SIN_COS_ABSOLUTE + 8 * U) * aMax;
              const velocityTolerance = tol.velocity + n * forceError * dt;
              const positionTolerance = tol.position + ((n * (n + 1)) / 2) * forceError * dt * dt;
              for (let k = 0; k < 3; k++) {
                const p = (['px', 'py', 'pz'] as const)[k];
                const vc = (['vx', 'vy', 'vz'] as const)[k];
                expectNear(end.column(vc)[i], v[k] / mass[i], velocityTolerance, `particle ${i} ${vc} after ${n} steps`);
                expectNear(end.column(p)[i], start.column(p)[i] + x[k] / mass[i], positionTolerance, `particle ${i} ${p} after ${n} steps`);
              }
            }
            // U(t_n) = Σ −A sin(ω t_n) x_i − B cos(ω t_n) y_i at the simulation's current time n·dt.
            const t = n * dt;
            let expected = 0;
            let magnitude = 0;
            for (let i = 0; i < end.count; i++) {
              const term = -A * Math.sin(w * t) * end.px[i] - B * Math.cos(w * t) * end.py[i];
              expected += term;
              magnitude += Math.abs(A * end.px[i]) + Math.abs(B * end.py[i]);
            }
            expect(sim.time, 'simulation time').toBeCloseTo(t, 12);
            // A GPU evaluates U in float32 with its own sin and cos (see above); the previous step's
            // time would be off by ω·dt = 5 % of the terms.
            expectNear((await sim.diagnostics()).potential, expected, (SIN_COS_ABSOLUTE + 16 * U) * magnitude, `potential at t = ${t}`);
          }
        },
      );
    }
  });
}
