import { ValidationError } from '../errors.js';
import { pairForce, type PairForceRule } from './pair-force.js';
import { checkKeys } from './rule.js';

/**
 * The Lennard-Jones 12-6 fluid as a preset written as math: a pairForce, so every backend that
 * generates pair kernels runs it with no code of its own (this file is the whole preset).
 * `U = 4ε((σ/r)^12 − (σ/r)^6)` for r < cutoff (default 2.5σ), shifted to 0 there when `shift`.
 */
export function lennardJones(options: { epsilon?: number; sigma?: number; cutoff?: number; shift?: boolean } = {}): PairForceRule {
  if (!options || typeof options !== 'object') throw new ValidationError('lennardJones', 'options must be an object');
  checkKeys('lennardJones', options, ['epsilon', 'sigma', 'cutoff', 'shift']);
  const { epsilon = 1, sigma = 1, shift = false } = options;
  const cutoff = options.cutoff ?? 2.5 * sigma;
  return pairForce({
    energy: '4*epsilon*((sigma/r)^12 - (sigma/r)^6)',
    parameters: { epsilon, sigma },
    cutoff,
    shift,
  });
}
