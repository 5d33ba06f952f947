import { checkKeys, vec3, type RuleOf, type Vec3 } from './rule.js';
import type { RuleDescriptor } from './descriptor.js';

export interface UniformGravityOptions {
  /** Acceleration added to every particle. Default (0, −9.81, 0). */
  g: Vec3;
}
export type UniformGravityRule = RuleOf<'uniformGravity', UniformGravityOptions>;

/** `a += g`; potential energy `−m g·x`. Conserves energy only: the field pushes momentum. */
export function uniformGravity(options: Partial<UniformGravityOptions> = {}): UniformGravityRule {
  checkKeys('uniformGravity', options, ['g']);
  return {
    kind: 'uniformGravity',
    options: { g: options.g === undefined ? [0, -9.81, 0] : vec3('uniformGravity.g', options.g) },
    conserves: ['energy'],
    phase: 'force',
  };
}

export const uniformGravityDescriptor: RuleDescriptor<UniformGravityRule> = {
  create: uniformGravity,
  plan(rule, plan) {
    const [gx, gy, gz] = rule.options.g;
    plan.gravity[0] += gx;
    plan.gravity[1] += gy;
    plan.gravity[2] += gz;
    plan.potentials.push({ kind: 'uniform', g: [gx, gy, gz] });
  },
  potential(rule, state) {
    const { px, py, pz, mass } = state;
    const [gx, gy, gz] = rule.options.g;
    let u = 0;
    for (let i = 0; i < state.count; i++) u -= mass[i] * (gx * px[i] + gy * py[i] + gz * pz[i]);
    return u;
  },
};
