import { compileKernelPlan, defineSystem, EXPRESSION_RULE_KINDS, type ParticleState, type Rule, type RuleKind } from '@brokenrecord/core';
import { referenceForces } from './forces.js';

/**
 * Diagnostics computed directly from their definitions (docs/physics.md, "Diagnostics") in float64,
 * independently of any backend and of core's own implementation, plus the magnitude of the terms
 * each sum adds up, against which a float32 reduction's rounding is measured. The energies of rules
 * written as expressions are summed here by brute force (every pair, nearest image by hand) over
 * the trees of core's plan, evaluated by core's float64 interpreter, at time `time`.
 */
export interface ReferenceDiagnostics {
  kinetic: number;
  potential: number;
  total: number;
  momentum: [number, number, number];
  angularMomentum: [number, number, number];
  centerOfMass: [number, number, number];
  mass: number;
  /** Σ of |term| for each reduction: what rounding errors scale with. */
  scale: { energy: number; momentum: number; angularMomentum: number; position: number };
}

export function referenceDiagnostics(state: ParticleState, rules: readonly Rule[], time = 0): ReferenceDiagnostics {
  const { px, py, pz, vx, vy, vz, mass } = state;
  const n = state.count;
  let kinetic = 0;
  let M = 0;
  const p: [number, number, number] = [0, 0, 0];
  const L: [number, number, number] = [0, 0, 0];
  const mx: [number, number, number] = [0, 0, 0];
  let momentumScale = 0;
  let angularScale = 0;
  let positionScale = 0;
  for (let i = 0; i < n; i++) {
    const m = mass[i];
    const x = [px[i], py[i], pz[i]];
    const v = [vx[i], vy[i], vz[i]];
    kinetic += 0.5 * m * (v[0] ** 2 + v[1] ** 2 + v[2] ** 2);
    M += m;
    for (let k = 0; k < 3; k++) {
      p[k] += m * v[k];
      mx[k] += m * x[k];
    }
    L[0] += m * (x[1] * v[2] - x[2] * v[1]);
    L[1] += m * (x[2] * v[0] - x[0] * v[2]);
    L[2] += m * (x[0] * v[1] - x[1] * v[0]);
    momentumScale += m * Math.hypot(v[0], v[1], v[2]);
    angularScale += m * Math.hypot(x[0], x[1], x[2]) * Math.hypot(v[0], v[1], v[2]);
    positionScale = Math.max(positionScale, Math.abs(x[0]), Math.abs(x[1]), Math.abs(x[2]));
  }
  let potential = 0;
  let potentialScale = 0;
  for (const rule of rules) {
    if (rule.kind === 'uniformGravity') {
      const g = rule.options.g;
      for (let i = 0; i < n; i++) {
        const term = -mass[i] * (g[0] * px[i] + g[1] * py[i] + g[2] * pz[i]);
        potential += term;
        potentialScale += Math.abs(term);
      }
    } else if (rule.kind === 'pairwiseGravity') {
      const { G, softening } = rule.options;
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const r2 = (px[j] - px[i]) ** 2 + (py[j] - py[i]) ** 2 + (pz[j] - pz[i]) ** 2;
          const term = (-G * mass[i] * mass[j]) / Math.sqrt(r2 + softening * softening);
          potential += term;
          potentialScale += Math.abs(term);
        }
      }
    }
  }
  if (rules.some((r) => (EXPRESSION_RULE_KINDS as readonly RuleKind[]).includes(r.kind))) {
    const expression = referenceForces(compileKernelPlan(defineSystem({ rules }), 1), state, time);
    potential += expression.potential;
    potentialScale += expression.potentialMagnitude;
  }
  const centerOfMass: [number, number, number] = M > 0 ? [mx[0] / M, mx[1] / M, mx[2] / M] : [0, 0, 0];
  return {
    kinetic,
    potential,
    total: kinetic + potential,
    momentum: p,
    angularMomentum: L,
    centerOfMass,
    mass: M,
    scale: { energy: kinetic + potentialScale, momentum: momentumScale, angularMomentum: angularScale, position: positionScale },
  };
}
