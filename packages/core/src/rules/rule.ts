import { ValidationError } from '../errors.js';

/** Quantities a system can declare as conserved; diagnostics report each of them. */
export const QUANTITIES = ['energy', 'momentum', 'angularMomentum'] as const;
export type Quantity = (typeof QUANTITIES)[number];

export type Vec3 = readonly [number, number, number];

/** The five hand-written presets. */
export const PRESET_RULE_KINDS = ['uniformGravity', 'pairwiseGravity', 'collisions', 'bounds', 'drag'] as const;
/** Rules written by the user as math (see rules/expression-options.ts), plus periodic boundaries. */
export const EXPRESSION_RULE_KINDS = ['pairForce', 'externalForce', 'bondForce', 'field'] as const;
/**
 * Every rule kind core knows. A backend does NOT claim these: it lists the kinds its own kernels
 * implement (Backend.rules), so a kind added here is refused by every backend until it is written.
 */
export const RULE_KINDS = [...PRESET_RULE_KINDS, ...EXPRESSION_RULE_KINDS, 'periodic', 'contacts'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/**
 * A rule is plain data: its kind, its fully defaulted and validated options, and the quantities it
 * preserves. Backends switch on `kind`; snapshots store `{kind, options}` as JSON.
 */
export interface RuleOf<K extends RuleKind, O> {
  readonly kind: K;
  readonly options: Readonly<O>;
  /** What this rule leaves unchanged (up to integrator error). */
  readonly conserves: readonly Quantity[];
  /**
   * Force rules contribute accelerations; contact rules change velocities after the kick;
   * boundary rules change positions after the drift (periodic wrap).
   */
  readonly phase: 'force' | 'contact' | 'boundary';
}

/** Rejects option keys the rule does not know, so a typo never silently does nothing. */
export function checkKeys(rule: string, options: object, allowed: readonly string[]): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValidationError(rule, 'options must be an object');
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new ValidationError(`${rule}.${key}`, `unknown option (known: ${allowed.join(', ') || 'none'})`);
    }
  }
}

export function finiteNumber(field: string, value: unknown, check?: (v: number) => string | null): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError(field, `${String(value)} is not a finite number`);
  }
  const problem = check?.(value);
  if (problem) throw new ValidationError(field, `${value} ${problem}`);
  return value;
}

export function vec3(field: string, value: unknown): Vec3 {
  if (!value || typeof value !== 'object' || (value as ArrayLike<unknown>).length !== 3) {
    throw new ValidationError(field, 'expected [x, y, z]');
  }
  const v = value as ArrayLike<unknown>;
  return [finiteNumber(`${field}[0]`, v[0]), finiteNumber(`${field}[1]`, v[1]), finiteNumber(`${field}[2]`, v[2])];
}

export function restitution(field: string, value: unknown): number {
  return finiteNumber(field, value, (e) => (e < 0 || e > 1 ? 'must be within [0, 1]' : null));
}

/** For the `default:` of every switch over rule kinds: a new kind that is not handled fails to compile. */
export function unreachable(value: never, what = 'rule kind'): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)}`);
}
