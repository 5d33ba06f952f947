import { bondForce, defineSystem, externalForce, field, pairForce, ParticleState } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import { SLOW_CASE_TIMEOUT, type SuiteContext } from '../context.js';
import { expectNear } from '../helpers/compare.js';
import { periodFromCrossings, zeroCrossings } from '../helpers/crossings.js';
import { U } from '../helpers/float32.js';
import { Random } from '../helpers/random.js';

/**
 * Motions with a known answer, driven by rules written as expressions and integrated with
 * velocity Verlet. Each tolerance is the sum of the integrator's known error (Verlet advances a
 * harmonic oscillator by θ = 2·asin(ω·dt/2) per step instead of ω·dt: a period too short by
 * (ω·dt)²/24, relatively), the physics' own correction where the motion is not exactly harmonic,
 * the sampling error of the measurement, and worst-case float32 rounding.
 */

const n3 = (v: readonly number[]) => Math.hypot(v[0], v[1], v[2]);
const dot = (a: readonly number[], b: readonly number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: readonly number[], b: readonly number[]) => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const scale = (a: readonly number[], s: number) => a.map((x) => x * s);
const add = (a: readonly number[], b: readonly number[]) => a.map((x, k) => x + b[k]);
const sub = (a: readonly number[], b: readonly number[]) => a.map((x, k) => x - b[k]);
const position = (s: ParticleState, i: number) => [s.px[i], s.py[i], s.pz[i]];
const velocity = (s: ParticleState, i: number) => [s.vx[i], s.vy[i], s.vz[i]];
/** Verlet's relative period error for a harmonic oscillator: T·(ωdt)/θ − T, θ = 2·asin(ωdt/2). */
const verletPeriodError = (omegaDt: number) => Math.abs(omegaDt / (2 * Math.asin(omegaDt / 2)) - 1);

export function expressionOscillatorCases(ctx: SuiteContext): void {
  describe('oscillators and orbits from rules written as expressions (velocity Verlet)', () => {
    it.skipIf(!ctx.supports('pairForce'))(
      'a Lennard-Jones dimer oscillates at the small-oscillation frequency of the well, ω² = U″(r₀)/μ',
      { timeout: SLOW_CASE_TIMEOUT },
      async () => {
        const eps = 1.3;
        const sig = 0.9;
        const m = [1, 3];
        const mu = (m[0] * m[1]) / (m[0] + m[1]);
        const r0 = 2 ** (1 / 6) * sig;
        // U = 4ε((σ/r)¹² − (σ/r)⁶); at r₀ (σ⁶ = r₀⁶/2) its derivatives are U″ = 72ε/r₀²,
        // U‴ = −1512ε/r₀³, U⁗ = 26712ε/r₀⁴.
        const U2 = (72 * eps) / r0 ** 2;
        const U3 = (-1512 * eps) / r0 ** 3;
        const U4 = (26712 * eps) / r0 ** 4;
        const omega0 = Math.sqrt(U2 / mu);
        const T0 = (2 * Math.PI) / omega0;
        const stepsPerPeriod = 500;
        const dt = T0 / stepsPerPeriod;
        const direction = [2 / 7, 3 / 7, 6 / 7];
        const centre = [0.5, -0.25, 1];
        const stretch = 1.01 * r0;
        const start = ParticleState.from({
          position: [
            add(centre, scale(direction, (-m[1] / (m[0] + m[1])) * stretch)),
            add(centre, scale(direction, (m[0] / (m[0] + m[1])) * stretch)),
          ],
          mass: m,
        });
        const amplitude = n3(sub(position(start, 1), position(start, 0))) - r0; // as stored in float32
        // The well is not harmonic: for x″ + ω₀²x = −αx² − βx³ (α = U‴/2μ, β = U⁗/6μ) the frequency
        // at amplitude a is ω₀ + (3β/8ω₀ − 5α²/12ω₀³)·a² (Landau & Lifshitz §28), here a 0.23 % slower
        // oscillation; the next correction is O(a³): checked against a fine RK4 integration it is
        // 6.5 % of the a² term at a = 1 % of r₀, bounded here by 10·(a/r₀)·|shift|.
        const alpha = U3 / (2 * mu);
        const beta = U4 / (6 * mu);
        const shift = ((3 * beta) / (8 * omega0 ** 2) - (5 * alpha ** 2) / (12 * omega0 ** 4)) * amplitude ** 2;
        const expected = T0 / (1 + shift);

        const system = defineSystem({
          integrator: 'verlet',
          rules: [pairForce({ energy: '4*eps*((sig/r)^12 - (sig/r)^6)', parameters: { eps, sig } })],
        });
        const sim = await ctx.create(system, start.clone(), dt);
        const every = 5;
        const periods = 5;
        const times: number[] = [];
        const radial: number[] = [];
        for (let s = 0; s < periods * stepsPerPeriod + 2 * every; s += every) {
          await sim.step(every);
          const now = await sim.read();
          const d = sub(position(now, 1), position(now, 0));
          times.push(sim.time);
          radial.push(dot(sub(velocity(now, 1), velocity(now, 0)), d) / n3(d));
        }
        // The relative velocity along the bond vanishes at each turning point, twice a period.
        const crossings = zeroCrossings(times, radial);
        expect(crossings.length, 'turning points seen').toBeGreaterThanOrEqual(2 * periods);
        const measured = periodFromCrossings(crossings);

        const anharmonicRemainder = 10 * Math.abs(amplitude / r0) * Math.abs(shift);
        const integrator = 1.5 * verletPeriodError(omega0 * dt);
        // Float32: the force at the well bottom is the difference of two terms of 12ε/r₀ each, so
        // its rounding (64 U of their sum, as in the force cases) is that fraction of U″·a.
        const rounding = (64 * U * ((24 * eps) / r0)) / (U2 * Math.abs(amplitude));
        const sampling = (2 * (every * dt) * (omega0 * every * dt) ** 2) / 6 / (periods * T0);
        const tolerance = anharmonicRemainder + integrator + rounding + sampling;
        expectNear(measured / T0, expected / T0, tolerance, `period / T₀ (T₀ = 2π/ω₀ = ${T0}, amplitude ${amplitude})`);
        // The measurement is sharp enough to see the anharmonic shift itself.
        expect(Math.abs(shift), 'the anharmonic shift exceeds the tolerance').toBeGreaterThan(3 * tolerance);
      },
    );

    it.skipIf(!ctx.supports('externalForce'))(
      'a harmonic trap returns every particle after one period 2π·sqrt(m/k), several masses at once',
      { timeout: SLOW_CASE_TIMEOUT },
      async () => {
        const k = 4;
        const masses = [0.25, 1, 4, 16];
        const periodOf = (m: number) => 2 * Math.PI * Math.sqrt(m / k);
        const stepsForMassOne = 1000;
        const dt = periodOf(1) / stepsForMassOne; // periods of 500, 1000, 2000 and 4000 steps
        const random = new Random(901);
        const x0 = masses.map(() => random.inBall(1.5));
        const v0 = masses.map(() => [random.gaussian(), random.gaussian(), random.gaussian()]);
        const start = ParticleState.from({ position: x0, velocity: v0, mass: masses });
        const system = defineSystem({
          integrator: 'verlet',
          rules: [externalForce({ energy: '0.5*k*(x^2 + y^2 + z^2)', parameters: { k } })],
        });
        const sim = await ctx.create(system, start.clone(), dt);
        let done = 0;
        let checked = 0;
        for (const n of [250, 500, 1000, 2000, 4000]) {
          await sim.step(n - done);
          done = n;
          const now = await sim.read();
          masses.forEach((m, i) => {
            const omega = Math.sqrt(k / m);
            const halfPeriods = (2 * n * dt) / periodOf(m);
            if (Math.abs(halfPeriods - Math.round(halfPeriods)) > 1e-9) return;
            // After a whole period the particle is back at (x₀, v₀); after half of one at (−x₀, −v₀).
            const sign = Math.round(halfPeriods) % 2 === 0 ? 1 : -1;
            const A = Math.sqrt(dot(x0[i], x0[i]) + dot(v0[i], v0[i]) / omega ** 2);
            const w = omega * dt;
            // Verlet's phase lags by n·(θ − ωdt), θ = acos(1 − (ωdt)²/2), and its amplitude differs by
            // O((ωdt)²); float32 rounding adds at most 8 U of the amplitude per step (the oscillator
            // neither damps nor amplifies an error once made).
            const theta = Math.acos(1 - (w * w) / 2);
            const miss = A * (n * Math.abs(theta - w) + w * w) + n * 8 * U * A;
            const at = `mass ${m} after ${halfPeriods / 2} periods`;
            expect(
              n3(sub(position(now, i), scale(x0[i], sign))),
              `${at}: distance from ${sign > 0 ? 'its start' : 'the mirror of its start'}`,
            ).toBeLessThanOrEqual(miss);
            expect(n3(sub(velocity(now, i), scale(v0[i], sign))), `${at}: velocity`).toBeLessThanOrEqual(omega * miss);
            checked++;
          });
        }
        expect(checked, 'returns checked').toBe(1 + 2 + 3 + 4 + 4);
      },
    );

    it.skipIf(!ctx.supports('bondForce'))(
      'two spring dimers (bondForce, per-bond k) oscillate at sqrt(2k/m) for equal masses, centres of mass drifting freely',
      { timeout: SLOW_CASE_TIMEOUT },
      async () => {
        const kA = 50;
        const kB = 8;
        const mA = 2;
        const mB = 0.5;
        const rest = 1;
        const omega = [Math.sqrt((2 * kA) / mA), Math.sqrt((2 * kB) / mB)];
        const period = omega.map((w) => (2 * Math.PI) / w);
        const dt = period[0] / 400;
        const axisB = [1 / Math.sqrt(3), 1 / Math.sqrt(3), 1 / Math.sqrt(3)];
        const drift = [0.3, -0.2, 0.1];
        const start = ParticleState.from({
          position: [[-0.6, 0, 0], [0.6, 0, 0], add([10, 0, 0], scale(axisB, -0.425)), add([10, 0, 0], scale(axisB, 0.425))],
          velocity: [[0, 0, 0], [0, 0, 0], drift, drift],
          mass: [mA, mA, mB, mB],
        });
        const system = defineSystem({
          integrator: 'verlet',
          rules: [
            bondForce({
              energy: '0.5*k*(r - r0)^2',
              bonds: [
                [0, 1],
                [2, 3],
              ],
              perBond: { k: [kA, kB] },
              parameters: { r0: rest },
            }),
          ],
        });
        const sim = await ctx.create(system, start.clone(), dt);
        const every = 4;
        const steps = Math.ceil((6 * period[1]) / dt);
        const times: number[] = [];
        const stretch: [number[], number[]] = [[], []];
        for (let s = 0; s < steps; s += every) {
          await sim.step(every);
          const now = await sim.read();
          times.push(sim.time);
          stretch[0].push(n3(sub(position(now, 1), position(now, 0))) - rest);
          stretch[1].push(n3(sub(position(now, 3), position(now, 2))) - rest);
        }
        for (const d of [0, 1]) {
          // r − r₀ is exactly harmonic (the motion stays on the bond's line), so its zeros are half a
          // period apart; Verlet's period is 2π·dt/θ.
          const crossings = zeroCrossings(times, stretch[d]);
          const measured = periodFromCrossings(crossings);
          const periodsSeen = (crossings.length - 1) / 2;
          const w = omega[d] * dt;
          const sampling = (2 * (every * dt) * (omega[d] * every * dt) ** 2) / 6 / (periodsSeen * period[d]);
          // Float32: each step rounds the positions and velocities by a few U of the amplitude; in the
          // worst case those add up to a phase error of 8 U per step over the run, which moves each
          // crossing by that fraction of 2π of a period (two crossings make the measurement).
          const rounding = (2 * 8 * U * steps) / (2 * Math.PI * periodsSeen);
          const tolerance = 1.5 * verletPeriodError(w) + sampling + rounding;
          expectNear(measured / period[d], 1, tolerance, `dimer ${'AB'[d]}: period / (2π/sqrt(2k/m)) (2π/ω = ${period[d]})`);
        }
        // Bond forces are internal: the centre of mass of dimer B moves uniformly (a few U per step).
        const end = await sim.read();
        const cm = scale(add(position(end, 2), position(end, 3)), 0.5);
        const expectedCm = add([10, 0, 0], scale(drift, sim.time));
        expect(n3(sub(cm, expectedCm)), 'centre of mass of dimer B').toBeLessThanOrEqual(steps * 8 * U * 12);
      },
    );

    it.skipIf(!ctx.supports('pairForce'))(
      'two like charges (k·q1·q2/r, no cutoff) released from rest reach the speeds energy conservation predicts',
      { timeout: SLOW_CASE_TIMEOUT },
      async () => {
        const kC = 1;
        const q = [1, 2];
        const m = [1, 3];
        const M = m[0] + m[1];
        const mu = (m[0] * m[1]) / M;
        const r0 = 1;
        const kqq = kC * q[0] * q[1];
        const tau = Math.sqrt((mu * r0 ** 3) / kqq); // the time scale of the first push
        const dt = tau / 400;
        const direction = [2 / 7, -3 / 7, 6 / 7];
        const start = ParticleState.from({
          position: [scale(direction, (-m[1] / M) * r0), scale(direction, (m[0] / M) * r0)],
          mass: m,
          attributes: { q },
        });
        const rStart = n3(sub(position(start, 1), position(start, 0)));
        const system = defineSystem({
          integrator: 'verlet',
          rules: [pairForce({ energy: 'k*q1*q2/r', parameters: { k: kC }, perParticle: ['q'] })],
        });
        const sim = await ctx.create(system, start.clone(), dt);
        let done = 0;
        for (const n of [200, 500, 1000, 2000, 3000]) {
          await sim.step(n - done);
          done = n;
          const now = await sim.read();
          const d = sub(position(now, 1), position(now, 0));
          const r = n3(d);
          // ½μu² = k·q1·q2·(1/r_start − 1/r); momentum zero: v₁ = −(m₂/M)·u·d̂, v₂ = (m₁/M)·u·d̂.
          const u = Math.sqrt((2 * kqq * (1 / rStart - 1 / r)) / mu);
          // Verlet conserves a shadow energy H + dt²·(|F|²/24μ − μ·u²·U″/12) + O(dt⁴); along this path
          // |F| is largest at the start and U″ = 2kqq/r³ too, so twice that at the extremes bounds
          // its error. A speed error is δE/(μu). Float32: two half kicks per step each round the
          // velocity by U of itself, in the worst case all alike: 2nU relative.
          const F0 = kqq / rStart ** 2;
          const energyError = dt * dt * (F0 ** 2 / (12 * mu) + (mu * u * u * (2 * kqq)) / rStart ** 3 / 6);
          const relative = energyError / (mu * u * u) + 2 * n * U;
          expect(r, `separation after ${n} steps`).toBeGreaterThan(rStart);
          for (const [i, sign, share] of [
            [0, -1, m[1] / M],
            [1, 1, m[0] / M],
          ] as const) {
            const expectedV = scale(d, (sign * share * u) / r);
            const v = velocity(now, i);
            expect(
              n3(sub(v, expectedV)),
              `particle ${i} velocity after ${n} steps (r = ${r}, predicted speed ${share * u})`,
            ).toBeLessThanOrEqual(relative * share * u + 4 * U * n3(v));
          }
        }
        const end = await sim.read();
        expect(n3(sub(position(end, 1), position(end, 0))), 'they flew apart').toBeGreaterThan(5 * r0);
      },
    );

    it.skipIf(!ctx.supports('field'))(
      'charges in a uniform magnetic field (field: q·(v×B)/m) circle at the cyclotron radius m·v/(|q|B) with period 2πm/(|q|B)',
      { timeout: SLOW_CASE_TIMEOUT },
      async () => {
        const Bmag = 2;
        const bHat = [2 / 7, 3 / 7, 6 / 7];
        const B = scale(bHat, Bmag);
        const e1 = scale([3, -2, 0], 1 / Math.sqrt(13));
        const e2 = cross(bHat, e1);
        const particles = [
          { q: 1, m: 1, v: e1, x: [0, 0, 0] },
          { q: -2, m: 3, v: add(scale(e2, 0.5), scale(bHat, 0.3)), x: [0.5, 0.2, -0.3] }, // a helix
          { q: 0.5, m: 0.5, v: scale(add(e1, e2), -1.4 / Math.SQRT2), x: [-0.4, 0.3, 0.2] },
        ];
        const start = ParticleState.from({
          position: particles.map((p) => p.x),
          velocity: particles.map((p) => p.v),
          mass: particles.map((p) => p.m),
          attributes: { q: particles.map((p) => p.q) },
        });
        const system = defineSystem({
          integrator: 'verlet',
          rules: [
            field({
              acceleration: ['q*(vy*Bz - vz*By)/m', 'q*(vz*Bx - vx*Bz)/m', 'q*(vx*By - vy*Bx)/m'],
              parameters: { Bx: B[0], By: B[1], Bz: B[2] },
              perParticle: ['q'],
            }),
          ],
        });
        expect(system.rules[0].conserves, 'a field declares nothing conserved').toEqual([]);
        const dt = Math.PI / 2000; // ω·dt = 2π/2000 for |q|B/m = 2
        const steps = 3000; // one turn of the slowest (ω = 4/3), one and a half of the others
        const every = 10;
        const sim = await ctx.create(system, start.clone(), dt);
        const x0 = particles.map((_, i) => position(start, i));
        const v0 = particles.map((_, i) => velocity(start, i));
        const angle = particles.map(() => [] as number[]);
        const times: number[] = [];
        for (let s = 0; s < steps; s += every) {
          await sim.step(every);
          const now = await sim.read();
          times.push(sim.time);
          particles.forEach((p, i) => {
            const n = s + every;
            const omega = (Math.abs(p.q) * Bmag) / p.m;
            // Verlet with a velocity-dependent acceleration (docs/physics.md: the second half kick reads
            // the half-step velocity) turns v⊥ by 2·atan(c) per step and scales it by exactly 1 + c²,
            // c = ω·dt/2: speed grows by (1 + c²)ⁿ; v∥ is untouched.
            const c = (omega * dt) / 2;
            const v = velocity(now, i);
            const vPar = dot(v, bHat);
            const vPerp = sub(v, scale(bHat, vPar));
            const vPerp0 = n3(sub(v0[i], scale(bHat, dot(v0[i], bHat))));
            const rounding = n * 8 * U;
            expectNear(vPar, dot(v0[i], bHat), rounding * n3(v0[i]), `particle ${i} v∥ after ${n} steps`);
            expectNear(n3(vPerp), vPerp0 * (1 + c * c) ** n, rounding * vPerp0, `particle ${i} |v⊥| after ${n} steps`);
            // Radius about the guiding centre x₀ + (m/qB²)·(v₀ × B) of the exact motion: r_c = m|v⊥|/(|q|B).
            // The discrete orbit's radius grows with its speed, and its centre sits c/2·r_c off that
            // point (positions lag the half-step velocities): r_c·((1+c²)ⁿ − 1 + c + c²) bounds both.
            const rc = (p.m * vPerp0) / (Math.abs(p.q) * Bmag);
            const centre = add(x0[i], scale(cross(v0[i], B), p.m / (p.q * Bmag * Bmag)));
            const offset = sub(position(now, i), centre);
            const radius = n3(sub(offset, scale(bHat, dot(offset, bHat))));
            const radiusTolerance = rc * ((1 + c * c) ** n - 1 + c + c * c) + rounding * (n3(x0[i]) + rc);
            expectNear(radius, rc, radiusTolerance, `particle ${i} distance from the guiding centre after ${n} steps (r_c = ${rc})`);
            // Along B: uniform drift.
            expectNear(
              dot(sub(position(now, i), x0[i]), bHat),
              dot(v0[i], bHat) * sim.time,
              rounding * (n3(x0[i]) + n3(v0[i]) * sim.time),
              `particle ${i} drift along B`,
            );
            angle[i].push(Math.atan2(dot(vPerp, e2), dot(vPerp, e1)));
          });
        }
        particles.forEach((p, i) => {
          // Unwrap the direction of v⊥ and read the period from its rate: dφ/dt = −qB/m (a positive
          // charge turns clockwise about B). Verlet's rate is 2·atan(c)/dt: relatively c²/3 slow.
          const phi = [...angle[i]];
          for (let k = 1; k < phi.length; k++) phi[k] += 2 * Math.PI * Math.round((phi[k - 1] - phi[k]) / (2 * Math.PI));
          const rate = (phi[phi.length - 1] - phi[0]) / (times[times.length - 1] - times[0]);
          const omega = (Math.abs(p.q) * Bmag) / p.m;
          const c = (omega * dt) / 2;
          expect(Math.sign(rate), `particle ${i} turns the way q·v×B says`).toBe(-Math.sign(p.q));
          const period = (2 * Math.PI) / Math.abs(rate);
          const expected = (2 * Math.PI * p.m) / (Math.abs(p.q) * Bmag);
          // Each half kick rounds v's components by U: the direction errs by at most 4 U per step.
          const turned = Math.abs(phi[phi.length - 1] - phi[0]);
          expectNear(period / expected, 1, (c * c) / 2 + (4 * U * steps) / turned, `particle ${i} period / (2πm/|q|B)`);
        });
      },
    );
  });
}
