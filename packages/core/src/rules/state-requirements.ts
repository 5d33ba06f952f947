import { ValidationError } from '../errors.js';
import type { ParticleState } from '../state.js';
import type { BondForceOptions } from './bond-force.js';

/** Every attribute column a rule reads must exist in the state (ParticleState.from({ attributes })). */
export function requireColumns(rule: string, columns: readonly string[], state: ParticleState): void {
  for (const name of columns) {
    if (!state.hasAttribute(name)) {
      const have = state.attributeNames.length ? state.attributeNames.join(', ') : 'none';
      throw new ValidationError(
        `${rule}.perParticle`,
        `the state has no attribute '${name}' (it has: ${have}); add it with ParticleState.from({ attributes: { ${name}: [...] } })`,
      );
    }
  }
}

/**
 * The live topology is the state's bond table: a rule's `bonds` are installed only into a state that
 * has no table of that name yet, so a state that was edited (remove) or restored keeps its own.
 */
export function installBonds(options: BondForceOptions, state: ParticleState): void {
  const { group, bonds, perBond } = options;
  if (!state.bonds(group)) {
    if (!bonds) {
      throw new ValidationError('bondForce.bonds', `the state has no bond table '${group}' and the rule lists no bonds`);
    }
    state.setBonds(group, bonds, perBond);
    return;
  }
  const table = state.bonds(group)!;
  for (const name of Object.keys(perBond)) {
    if (!table.params[name])
      throw new ValidationError(`bondForce.perBond.${name}`, `the state's bond table '${group}' has no per-bond values '${name}'`);
  }
}
