import { ValidationError } from '../errors.js';
import { checkKeys, restitution, vec3, type RuleOf, type Vec3 } from './rule.js';
import type { RuleDescriptor } from './descriptor.js';
import { checkFloat32Box } from '../float32.js';

export interface BoundsOptions {
  min: Vec3;
  max: Vec3;
  /** Fraction of the outward velocity component kept after reflection, e ∈ [0, 1]. Default 1. */
  restitution: number;
}
export type BoundsRule = RuleOf<'bounds', BoundsOptions>;

/**
 * An axis-aligned box. A sphere touching a face while moving outward has that velocity component
 * reflected and scaled by e. The walls push, so momentum is not conserved; energy is when e = 1.
 */
export function bounds(options: { min: Vec3; max: Vec3; restitution?: number }): BoundsRule {
  if (!options) throw new ValidationError('bounds', 'options {min, max} are required');
  checkKeys('bounds', options, ['min', 'max', 'restitution']);
  if (options.min === undefined || options.max === undefined) throw new ValidationError('bounds', 'min and max are required');
  const min = vec3('bounds.min', options.min);
  const max = vec3('bounds.max', options.max);
  checkFloat32Box('bounds', min, max);
  const e = options.restitution === undefined ? 1 : restitution('bounds.restitution', options.restitution);
  return { kind: 'bounds', options: { min, max, restitution: e }, conserves: e === 1 ? ['energy'] : [], phase: 'contact' };
}

export const boundsDescriptor: RuleDescriptor<BoundsRule> = {
  create: bounds,
  plan(rule, plan) {
    const { min, max, restitution } = rule.options;
    plan.bounds = { min: [min[0], min[1], min[2]], max: [max[0], max[1], max[2]], restitution };
  },
};
