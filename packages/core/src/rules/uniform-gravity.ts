import { checkKeys, vec3, type RuleOf, type Vec3 } from './rule.js';

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
