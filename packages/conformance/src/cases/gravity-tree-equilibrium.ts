import { defineSystem, pairwiseGravity, potentialEnergy } from '@brokenrecord/core';
import { expect, it } from 'vitest';
import { SLOW_CASE_TIMEOUT, type SuiteContext } from '../context.js';
import { lagrangianRadii } from '../helpers/gravity-error.js';
import { HENON_CROSSING_TIME, plummerSphere } from '../scenes/plummer.js';

const N = 1024;
const SOFTENING = 0.05;
const DT = 1 / 32;
const CROSSINGS = 3;
/** How many times the state is inspected over the run. */
const SAMPLES = 12;
/**
 * Bounds, measured on the ts backend with margin: over three crossing times the virialised
 * N = 1024 sphere's 2K/|W| stays within 0.038 (1.2/√N) of 1 and its 10/50/90 % Lagrangian radii
 * within 7.8/4.1/6.1 % (finite-N noise, and softening leaves it slightly hot for its shallower
 * potential). A wrong sign or a missing factor in the multipoles collapses or disperses it by far more.
 */
const VIRIAL_BOUND = 3 / Math.sqrt(N);
const RADIUS_BOUNDS = [0.15, 0.1, 0.15];
/** |ΔP| / Σ m|v|: the tree's forces are not pairwise opposite, so momentum drifts at the force error's level (1.4e-4 measured). */
const MOMENTUM_BOUND = 1e-3;
/** |ΔE| / |E| with the tree's own potential (7e-5 measured). */
const ENERGY_BOUND = 3e-3;

/**
 * A Plummer sphere in Hénon units (G = M = 1), its velocities scaled to 2K = |W| exactly, evolved
 * with the tree over several crossing times: it must stay in virial equilibrium (2K/|W| within a
 * few 1/√N of 1, Lagrangian radii steady), its energy kept, and its momentum drift bounded.
 */
export function gravityTreeEquilibriumCases(ctx: SuiteContext): void {
  it(
    `a virialised Plummer sphere (N = ${N}) stays in equilibrium over ${CROSSINGS} crossing times`,
    async () => {
      const state = plummerSphere(N, 65);
      const system = defineSystem({ integrator: 'verlet', rules: [pairwiseGravity({ G: 1, softening: SOFTENING, method: 'tree' })] });
      let kinetic = 0;
      for (let i = 0; i < N; i++) kinetic += 0.5 * state.mass[i] * (state.vx[i] ** 2 + state.vy[i] ** 2 + state.vz[i] ** 2);
      const scale = Math.sqrt(Math.abs(potentialEnergy(state, system)) / (2 * kinetic));
      for (let i = 0; i < N; i++) {
        state.vx[i] *= scale;
        state.vy[i] *= scale;
        state.vz[i] *= scale;
      }
      const radii0 = lagrangianRadii(state, [0.1, 0.5, 0.9]);
      const sim = await ctx.create(system, state.clone(), DT);
      const d0 = await sim.diagnostics();
      const steps = Math.round((CROSSINGS * HENON_CROSSING_TIME) / DT);
      const chunk = Math.ceil(steps / SAMPLES);
      let worstVirial = Math.abs((2 * d0.kinetic) / Math.abs(d0.potential) - 1);
      const worstRadius = [0, 0, 0];
      let worstMomentum = 0;
      let worstEnergy = 0;
      for (let done = 0; done < steps; done += chunk) {
        await sim.step(Math.min(chunk, steps - done));
        const d = await sim.diagnostics();
        const now = await sim.read();
        worstVirial = Math.max(worstVirial, Math.abs((2 * d.kinetic) / Math.abs(d.potential) - 1));
        lagrangianRadii(now, [0.1, 0.5, 0.9]).forEach((r, k) => (worstRadius[k] = Math.max(worstRadius[k], Math.abs(r / radii0[k] - 1))));
        let speed = 0;
        for (let i = 0; i < N; i++) speed += now.mass[i] * Math.hypot(now.vx[i], now.vy[i], now.vz[i]);
        worstMomentum = Math.max(worstMomentum, Math.hypot(...d.momentum.map((p, k) => p - d0.momentum[k])) / speed);
        worstEnergy = Math.max(worstEnergy, Math.abs(d.total - d0.total) / Math.abs(d0.total));
      }
      console.log(
        `[gravity tree] ${ctx.backend.name}: Plummer N = ${N}, ${steps} steps (${CROSSINGS} crossing times): ` +
          `max |2K/|W| − 1| = ${worstVirial.toFixed(4)} (1/√N = ${(1 / Math.sqrt(N)).toFixed(4)}), ` +
          `max Lagrangian radius change 10/50/90 % = ${worstRadius.map((r) => (100 * r).toFixed(1)).join('/')} %, ` +
          `max momentum drift ${worstMomentum.toExponential(2)} of Σ m|v|, max energy drift ${worstEnergy.toExponential(2)}`,
      );
      expect(worstVirial, '2K/|W| − 1').toBeLessThanOrEqual(VIRIAL_BOUND);
      worstRadius.forEach((r, k) => expect(r, `Lagrangian radius ${[10, 50, 90][k]} %`).toBeLessThanOrEqual(RADIUS_BOUNDS[k]));
      expect(worstMomentum, 'momentum drift').toBeLessThanOrEqual(MOMENTUM_BOUND);
      expect(worstMomentum, 'momentum drift (the tree breaks the third law: not exactly zero)').toBeGreaterThan(0);
      expect(worstEnergy, 'energy drift').toBeLessThanOrEqual(ENERGY_BOUND);
    },
    SLOW_CASE_TIMEOUT,
  );
}
