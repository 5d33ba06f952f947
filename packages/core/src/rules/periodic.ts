import { ValidationError } from '../errors.js';
import { checkKeys, vec3, type RuleOf, type Vec3 } from './rule.js';
import type { RuleDescriptor } from './descriptor.js';
import { checkFloat32Box } from '../float32.js';

export interface PeriodicOptions {
  min: Vec3;
  max: Vec3;
}
export type PeriodicRule = RuleOf<'periodic', PeriodicOptions>;

/**
 * Periodic boundaries on all three axes: positions are wrapped into [min, max) after the drift,
 * cutoff pair forces and collisions see the nearest image. Translations keep momentum and energy;
 * a periodic box has no rotational symmetry, so angular momentum is not conserved.
 */
export function periodic(options: { min: Vec3; max: Vec3 }): PeriodicRule {
  if (!options) throw new ValidationError('periodic', 'options {min, max} are required');
  checkKeys('periodic', options, ['min', 'max']);
  if (options.min === undefined || options.max === undefined) throw new ValidationError('periodic', 'min and max are required');
  const min = vec3('periodic.min', options.min);
  const max = vec3('periodic.max', options.max);
  checkFloat32Box('periodic', min, max, true);
  return { kind: 'periodic', options: { min, max }, conserves: ['energy', 'momentum'], phase: 'boundary' };
}

export const periodicDescriptor: RuleDescriptor<PeriodicRule> = {
  create: periodic,
  plan(rule, plan) {
    const min = rule.options.min.map(Math.fround) as [number, number, number];
    const max = rule.options.max.map(Math.fround) as [number, number, number];
    plan.periodic = { min, max, length: [0, 1, 2].map((k) => Math.fround(max[k] - min[k])) as [number, number, number] };
  },
};
