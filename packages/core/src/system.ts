import { ConservationContractError, ValidationError } from './errors.js';
import { QUANTITIES, ruleFromJSON, ruleToJSON, type Quantity, type Rule, type RuleKind } from './rules/index.js';

export const INTEGRATORS = ['euler', 'verlet'] as const;
/** `euler`: semi-implicit (kick, contacts, drift). `verlet`: velocity Verlet (half kick, contacts, drift, half kick). */
export type Integrator = (typeof INTEGRATORS)[number];

export interface MonitorOptions {
  /** Check the declared quantities every this many steps. */
  every: number;
  /** Largest relative drift tolerated (see `relativeDrift`). */
  tolerance: number;
  /** `warn` logs once per quantity; `throw` raises ConservationContractError. Default `warn`. */
  onViolation?: 'warn' | 'throw';
}

export interface SystemOptions {
  integrator?: Integrator;
  rules: readonly Rule[];
  /** Quantities the system promises to keep; checked against every rule here. */
  conserves?: readonly Quantity[];
  /** Default runtime conservation monitor for simulations of this system. */
  monitor?: MonitorOptions;
}

export interface SystemDefinition {
  readonly integrator: Integrator;
  readonly rules: readonly Rule[];
  readonly conserves: readonly Quantity[];
  readonly monitor?: Readonly<MonitorOptions>;
  /** Kinds present, for backend capability checks. */
  readonly kinds: ReadonlySet<RuleKind>;
}

/** Contact and boundary rules are applied once per step; two of the same kind would be ambiguous. */
const AT_MOST_ONCE: readonly RuleKind[] = ['collisions', 'bounds', 'periodic', 'contacts'];

/**
 * Validates and freezes a system. Throws `ConservationContractError` naming the first rule that
 * breaks a declared quantity, `ValidationError` for anything malformed.
 */
export function defineSystem(options: SystemOptions): SystemDefinition {
  if (!options || typeof options !== 'object') throw new ValidationError('system', 'expected an object');
  const known = ['integrator', 'rules', 'conserves', 'monitor'];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new ValidationError(`system.${key}`, `unknown option (known: ${known.join(', ')})`);
  }
  const integrator = options.integrator ?? 'euler';
  if (!(INTEGRATORS as readonly string[]).includes(integrator)) {
    throw new ValidationError('system.integrator', `${JSON.stringify(integrator)} is not one of ${INTEGRATORS.join(', ')}`);
  }
  if (!Array.isArray(options.rules)) throw new ValidationError('system.rules', 'expected an array of rules');
  // Re-validate through the factories so hand-built rule objects get the same checks.
  const rules = options.rules.map((r, i) => {
    try {
      return ruleFromJSON(ruleToJSON(r));
    } catch (error) {
      if (error instanceof ValidationError) throw new ValidationError(`system.rules[${i}]`, error.message);
      throw new ValidationError(`system.rules[${i}]`, 'not a rule');
    }
  });
  for (const kind of AT_MOST_ONCE) {
    if (rules.filter((r) => r.kind === kind).length > 1) {
      throw new ValidationError('system.rules', `at most one '${kind}' rule`);
    }
  }
  checkPeriodic(rules);
  checkContacts(rules);
  const conserves = [...new Set(options.conserves ?? [])];
  for (const q of conserves) {
    if (!(QUANTITIES as readonly string[]).includes(q)) {
      throw new ValidationError('system.conserves', `${JSON.stringify(q)} is not one of ${QUANTITIES.join(', ')}`);
    }
    const breaker = rules.find((r) => !r.conserves.includes(q));
    if (breaker) throw new ConservationContractError(breaker.kind, q);
  }
  const monitor = options.monitor === undefined ? undefined : checkMonitor(options.monitor);
  return Object.freeze({
    integrator,
    rules: Object.freeze(rules),
    conserves: Object.freeze(conserves),
    monitor,
    kinds: new Set(rules.map((r) => r.kind)),
  });
}

/**
 * What a periodic box rules out: walls inside it, interactions without a cutoff (the nearest image
 * of every pair is not a sum over images), and cutoffs beyond half the box (a pair would meet two
 * images of the other particle).
 */
function checkPeriodic(rules: readonly Rule[]): void {
  const box = rules.find((r) => r.kind === 'periodic');
  if (!box) return;
  if (rules.some((r) => r.kind === 'bounds'))
    throw new ValidationError('system.rules', "'periodic' and 'bounds' cannot both confine the particles");
  if (rules.some((r) => r.kind === 'pairwiseGravity')) {
    throw new ValidationError(
      'system.rules',
      "all-pairs 'pairwiseGravity' has no meaning in a periodic box (it would need a sum over images); use a pairForce with a cutoff",
    );
  }
  const half = Math.min(...[0, 1, 2].map((k) => (Math.fround(box.options.max[k]) - Math.fround(box.options.min[k])) / 2));
  rules.forEach((r, i) => {
    if (r.kind !== 'pairForce') return;
    if (r.options.cutoff === null) {
      throw new ValidationError(
        `system.rules[${i}]`,
        'a pairForce in a periodic box needs a cutoff (the nearest image is taken for pairs within it)',
      );
    }
    if (r.options.cutoff > half) {
      throw new ValidationError(`system.rules[${i}].cutoff`, `${r.options.cutoff} exceeds half the periodic box (${half})`);
    }
  });
}

/** Hard (collisions) and soft (contacts) spheres are two models of the same overlap: one at a time. */
function checkContacts(rules: readonly Rule[]): void {
  if (!rules.some((r) => r.kind === 'contacts')) return;
  if (rules.some((r) => r.kind === 'collisions')) {
    throw new ValidationError(
      'system.rules',
      "'contacts' (soft spheres) and 'collisions' (hard spheres) cannot both act on the same spheres",
    );
  }
  if (rules.some((r) => r.kind === 'periodic')) {
    throw new ValidationError('system.rules', "'contacts' in a periodic box is not implemented yet (use bounds)");
  }
}

export function checkMonitor(monitor: MonitorOptions): Readonly<MonitorOptions> {
  if (!monitor || typeof monitor !== 'object') throw new ValidationError('monitor', 'expected {every, tolerance}');
  const { every, tolerance, onViolation = 'warn' } = monitor;
  if (!Number.isInteger(every) || every < 1) throw new ValidationError('monitor.every', `${every} is not a positive integer`);
  if (typeof tolerance !== 'number' || !(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw new ValidationError('monitor.tolerance', `${tolerance} is not a finite number >= 0`);
  }
  if (onViolation !== 'warn' && onViolation !== 'throw') {
    throw new ValidationError('monitor.onViolation', `${JSON.stringify(onViolation)} is not 'warn' or 'throw'`);
  }
  return Object.freeze({ every, tolerance, onViolation });
}

/** JSON form of a system, as stored in snapshots. */
export function systemToJSON(system: SystemDefinition): object {
  return {
    integrator: system.integrator,
    rules: system.rules.map(ruleToJSON),
    conserves: system.conserves,
    ...(system.monitor ? { monitor: system.monitor } : {}),
  };
}

export function systemFromJSON(json: unknown): SystemDefinition {
  const j = (json ?? {}) as { integrator?: Integrator; rules?: unknown[]; conserves?: Quantity[]; monitor?: MonitorOptions };
  if (!Array.isArray(j.rules)) throw new ValidationError('system.rules', 'expected an array');
  return defineSystem({ integrator: j.integrator, rules: j.rules.map(ruleFromJSON), conserves: j.conserves, monitor: j.monitor });
}
