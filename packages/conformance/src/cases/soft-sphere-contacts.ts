import { contacts, defineSystem, ParticleState, type ContactsRule, type Simulation } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { hertzContact, linearContact } from '../helpers/contact-reference.js';

/**
 * Two spheres meeting head-on under `contacts` alone (docs/physics.md, "Soft-sphere contacts"),
 * against the closed-form contact: the linear spring–dashpot (duration π/ω, rebound e·v0, peak
 * overlap) and the Hertz law (Chung & Ooi 2011, test 1). The spheres start exactly touching, so the
 * contact begins at t = 0; overlaps are read step by step only around the peak and the end.
 */
export function softSphereContactCases(ctx: SuiteContext): void {
  describe.skipIf(!ctx.supports('contacts'))('soft-sphere contacts: two-sphere collisions against the analytic contact', () => {
    /** Spheres of radii r1, r2 touching at the origin along x, approaching at v1 > 0 and v2 < 0. */
    function pair(r: [number, number], m: [number, number], v: [number, number]): ParticleState {
      return ParticleState.from({
        position: [
          [-r[0], 0, 0],
          [r[1], 0, 0],
        ],
        velocity: [
          [v[0], 0, 0],
          [v[1], 0, 0],
        ],
        mass: m,
        radius: r,
      });
    }

    interface Collision {
      maxOverlap: number;
      /** Time δ returns to 0, interpolated linearly between the two steps around it. */
      duration: number;
      /** Relative separation speed after the contact. */
      rebound: number;
      /** Total momentum along x before and after. */
      momentum: [number, number];
    }

    /** Steps through the collision, reading the state every step within ±window steps of `peak` and `end` (in steps). */
    async function collide(sim: Simulation, start: ParticleState, dt: number, peak: number, end: number, window = 20): Promise<Collision> {
      const rs = start.radius[0] + start.radius[1];
      const overlapOf = (s: ParticleState) => rs - Math.abs(s.px[1] - s.px[0]);
      let maxOverlap = -Infinity;
      let done = 0;
      const goTo = async (step: number) => {
        if (step > done) await sim.step(step - done);
        done = Math.max(done, step);
      };
      await goTo(Math.max(1, Math.floor(peak) - window));
      for (let k = 0; k < 2 * window; k++) {
        await goTo(done + 1);
        maxOverlap = Math.max(maxOverlap, overlapOf(await sim.read()));
      }
      await goTo(Math.floor(end) - window);
      let previous = overlapOf(await sim.read());
      expect(previous, 'still in contact before the expected end').toBeGreaterThan(0);
      let duration = NaN;
      for (let k = 0; k < 2 * window; k++) {
        await goTo(done + 1);
        const now = overlapOf(await sim.read());
        if (now <= 0) {
          duration = (done - 1 + previous / (previous - now)) * dt;
          break;
        }
        previous = now;
      }
      expect(duration, 'the contact ended within the window around the expected end').not.toBeNaN();
      await goTo(done + 2); // separated: no force acts any more
      const s = await sim.read();
      return {
        maxOverlap,
        duration,
        rebound: s.vx[1] - s.vx[0],
        momentum: [start.mass[0] * start.vx[0] + start.mass[1] * start.vx[1], s.mass[0] * s.vx[0] + s.mass[1] * s.vx[1]],
      };
    }

    const STEPS_PER_CONTACT = 400;

    async function hookeCase(rule: ContactsRule, masses: [number, number]) {
      const start = pair([0.5, 0.5], masses, [1.25, -0.75]);
      const m = (start.mass[0] * start.mass[1]) / (start.mass[0] + start.mass[1]);
      const k = rule.options.stiffness;
      const beta =
        rule.options.restitution === undefined
          ? 0
          : (2 * -Math.log(rule.options.restitution)) / Math.hypot(Math.PI, Math.log(rule.options.restitution));
      const c = (rule.options.damping ?? 0) * m + beta * Math.sqrt(k * m);
      const approach = start.vx[0] - start.vx[1];
      const exact = linearContact(k, m, c, approach);
      const dt = exact.duration / STEPS_PER_CONTACT;
      const sim = await ctx.create(defineSystem({ integrator: 'verlet', rules: [rule] }), start.clone(), dt);
      const got = await collide(sim, start, dt, exact.peakTime / dt, exact.duration / dt);
      return { got, exact, dt, approach };
    }

    /**
     * Float32 positions near 0.5 round to 3·10⁻⁸, against a peak overlap near 0.02: the overlap, and
     * the end time found from it, are good to a few 10⁻⁶ relative; velocity Verlet's own error is
     * (ω·dt)²/24 ≈ 3·10⁻⁶ at 400 steps per contact.
     */
    it('hooke, undamped: duration π/ω, peak overlap v0/ω, rebound at the approach speed (unequal masses)', async () => {
      const { got, exact, approach } = await hookeCase(contacts({ model: 'hooke', stiffness: 1e4 }), [1, 2]);
      expect(Math.abs(got.duration / exact.duration - 1), `duration ${got.duration} vs ${exact.duration}`).toBeLessThan(1e-4);
      expect(Math.abs(got.maxOverlap / exact.maxOverlap - 1), `peak overlap ${got.maxOverlap} vs ${exact.maxOverlap}`).toBeLessThan(1e-4);
      expect(Math.abs(got.rebound / approach - 1), `rebound ${got.rebound} vs ${approach}`).toBeLessThan(1e-4);
      expect(Math.abs(got.momentum[1] - got.momentum[0])).toBeLessThan(1e-5 * Math.abs(approach));
    });

    /**
     * With damping the force reads velocities, which velocity Verlet (evaluated at every kick) takes
     * at the start of each kick: the scheme is first order in γ·dt there, and the rebound, duration
     * and peak overlap err by about γ·dt relative (measured on the reference: 0.75·γ·dt at e = 0.5,
     * 0.95·γ·dt at e = 0.9, halving with dt). Allowed: 1.5·γ·dt + 10⁻⁴.
     */
    for (const [e, masses] of [
      [0.9, [1, 3]],
      [0.5, [1, 3]],
    ] as [number, [number, number]][]) {
      it(`hooke, restitution ${e}: rebound e·v0, duration π/ω and peak overlap of the damped oscillator`, async () => {
        const { got, exact, approach, dt } = await hookeCase(contacts({ model: 'hooke', stiffness: 1e4, restitution: e }), masses);
        const tol = 1.5 * exact.gamma * dt + 1e-4;
        expect(Math.abs(got.rebound / (e * approach) - 1), `rebound ${got.rebound} vs ${e * approach}`).toBeLessThan(tol);
        expect(Math.abs(exact.rebound / (e * approach) - 1), 'the closed form itself gives e').toBeLessThan(1e-12);
        expect(Math.abs(got.duration / exact.duration - 1), `duration ${got.duration} vs ${exact.duration}`).toBeLessThan(tol);
        expect(Math.abs(got.maxOverlap / exact.maxOverlap - 1), `peak overlap ${got.maxOverlap} vs ${exact.maxOverlap}`).toBeLessThan(tol);
        expect(Math.abs(got.momentum[1] - got.momentum[0])).toBeLessThan(1e-5 * Math.abs(approach));
      });
    }

    it('hooke, damping γ (LAMMPS gamma_n): the rebound of the oscillator with c = γ·m_eff', async () => {
      const gamma = 20;
      const { got, exact, dt } = await hookeCase(contacts({ model: 'hooke', stiffness: 1e4, damping: gamma }), [1, 1]);
      expect(exact.gamma).toBeCloseTo(gamma, 12);
      const tol = 1.5 * gamma * dt + 1e-4;
      expect(Math.abs(got.rebound / exact.rebound - 1), `rebound ${got.rebound} vs ${exact.rebound}`).toBeLessThan(tol);
      expect(Math.abs(got.duration / exact.duration - 1)).toBeLessThan(tol);
    });

    /**
     * Chung & Ooi (2011), test 1: glass spheres R = 10 mm, E = 48 GPa, ν = 0.2, ρ = 2800 kg/m³,
     * ±10 m/s. Textbook Hertz: F = (4/3)·E*·sqrt(R*)·δ^{3/2} with E* = E/(2(1 − ν²)), R* = R/2, so
     * stiffness k = (4/3)·E*. Positions near 0.01 round to 10⁻⁹ against a peak overlap near 3·10⁻⁴.
     */
    it('hertz (Chung & Ooi 2011, test 1): contact time and maximum overlap of the Hertz solution', async () => {
      const R = 0.01,
        E = 48e9,
        nu = 0.2,
        rho = 2800;
      const mass = rho * (4 / 3) * Math.PI * R ** 3;
      const Estar = E / (2 * (1 - nu * nu));
      const rule = contacts({ model: 'hertz', stiffness: (4 / 3) * Estar });
      const start = pair([R, R], [mass, mass], [10, -10]);
      const r = start.radius[0];
      const m = start.mass[0] / 2;
      const K = rule.options.stiffness * Math.sqrt(r / 2);
      const approach = start.vx[0] - start.vx[1];
      const exact = hertzContact(K, m, approach);
      // Chung & Ooi's tabulated analytic values for this test, as a check of the setup itself.
      expect(exact.maxOverlap).toBeGreaterThan(2.7e-4);
      expect(exact.maxOverlap).toBeLessThan(2.8e-4);
      const dt = exact.duration / STEPS_PER_CONTACT;
      const sim = await ctx.create(defineSystem({ integrator: 'verlet', rules: [rule] }), start.clone(), dt);
      const got = await collide(sim, start, dt, STEPS_PER_CONTACT / 2, STEPS_PER_CONTACT);
      expect(Math.abs(got.duration / exact.duration - 1), `contact time ${got.duration} vs ${exact.duration}`).toBeLessThan(1e-4);
      expect(Math.abs(got.maxOverlap / exact.maxOverlap - 1), `max overlap ${got.maxOverlap} vs ${exact.maxOverlap}`).toBeLessThan(1e-4);
      expect(Math.abs(got.rebound / approach - 1), `rebound ${got.rebound} vs ${approach}`).toBeLessThan(1e-4);
    });

    it('spheres that do not overlap feel nothing (the contact test is |d|² < (r_i + r_j)², as LAMMPS)', async () => {
      const start = pair([0.5, 0.5], [1, 1], [0, 0]);
      const sim = await ctx.create(defineSystem({ rules: [contacts({ model: 'hooke', stiffness: 1e4 })] }), start.clone(), 1e-3);
      await sim.step(10);
      const s = await sim.read();
      expect([s.vx[0], s.vx[1], s.px[0], s.px[1]]).toEqual([0, 0, start.px[0], start.px[1]]);
    });
  });
}
