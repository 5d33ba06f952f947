import { contactEnergy, type ContactsRule, type ParticleState } from '@brokenrecord/core';

/**
 * Elastic energy of the soft-sphere contacts of a state, by brute force over every pair in float64
 * (docs/physics.md, "Soft-sphere contacts"): independent of core's grid and of every backend.
 */
export function bruteForceContactEnergy(state: ParticleState, rule: ContactsRule): number {
  const { px, py, pz, radius } = state;
  const { model, stiffness } = rule.options;
  let u = 0;
  for (let i = 0; i < state.count; i++) {
    for (let j = i + 1; j < state.count; j++) {
      const r = Math.hypot(px[j] - px[i], py[j] - py[i], pz[j] - pz[i]);
      const delta = radius[i] + radius[j] - r;
      if (r > 0 && delta > 0) u += contactEnergy(model, stiffness, delta, radius[i], radius[j]);
    }
  }
  return u;
}

/** The linear spring–dashpot contact of reduced mass m: ω, damping rate γ = c/m, and the closed-form overlap. */
export function linearContact(k: number, m: number, c: number, approach: number) {
  const gamma = c / m;
  const omega = Math.sqrt(k / m - (gamma * gamma) / 4);
  /** Overlap δ(t) = (v0/ω)·e^{−γt/2}·sin(ωt), for 0 ≤ t ≤ π/ω. */
  const overlap = (t: number) => (approach / omega) * Math.exp((-gamma * t) / 2) * Math.sin(omega * t);
  const duration = Math.PI / omega;
  /** δ' = 0: tan(ωt) = 2ω/γ. */
  const peakTime = gamma === 0 ? duration / 2 : Math.atan((2 * omega) / gamma) / omega;
  return { omega, gamma, duration, peakTime, maxOverlap: overlap(peakTime), rebound: approach * Math.exp((-gamma * duration) / 2) };
}

/**
 * The Hertz contact F = K·δ^{3/2} of reduced mass m at approach speed v0, undamped:
 * ½·m·v0² = (2/5)·K·δmax^{5/2}, and t_c = 2·(δmax/v0)·∫₀¹ dx/sqrt(1 − x^{5/2}), the integral being
 * (2/5)·B(2/5, 1/2) = (2/5)·Γ(2/5)·Γ(1/2)/Γ(9/10) = 1.4716...
 */
export function hertzContact(K: number, m: number, approach: number) {
  const maxOverlap = ((5 * m * approach * approach) / (4 * K)) ** 0.4;
  return { maxOverlap, duration: 2 * HERTZ_TIME_INTEGRAL * (maxOverlap / approach) };
}

/** ∫₀¹ (1 − x^{5/2})^{−1/2} dx, by the substitution x = 1 − s² (smooth integrand) and Simpson's rule. */
export const HERTZ_TIME_INTEGRAL = (() => {
  const f = (s: number) => {
    if (s === 0) return 2 / Math.sqrt(2.5); // limit of 2s/sqrt(1 − (1 − s²)^{5/2}) as s → 0
    const x = 1 - s * s;
    return (2 * s) / Math.sqrt(1 - x ** 2.5);
  };
  const n = 20000;
  const h = 1 / n;
  let sum = f(0) + f(1);
  for (let i = 1; i < n; i++) sum += (i % 2 ? 4 : 2) * f(i * h);
  return (sum * h) / 3;
})();
