import type { KernelPlan } from '../kernel-plan.js';
import type { ParticleState } from '../state.js';

/**
 * Everything core knows about one rule kind, in one place: adding a kind means writing one of
 * these (and one kernel per backend), never editing a switch elsewhere in core.
 */
export interface RuleDescriptor<R> {
  /** The factory: validates options and returns the rule (also rebuilds rules from snapshot JSON). */
  create(options: never): R;
  /** Adds the rule's term to the kernel plan (`index`: the rule's position in system.rules). */
  plan(rule: R, plan: KernelPlan, index: number): void;
  /** Reference potential energy (float64) of the state under this rule; absent when it stores none. */
  potential?(rule: R, state: ParticleState, plan: KernelPlan, index: number, time: number): number;
  /**
   * Checks what the rule needs from a state before any backend sees it (attribute columns, bond
   * tables) and installs what the rule itself carries (its initial bonds). Throws ValidationError.
   */
  prepare?(rule: R, state: ParticleState): void;
}
