/**
 * Every error BrokenRecord throws on purpose. Each carries a stable `code` so callers (and the CLI)
 * can branch on it without parsing messages.
 */
export type ErrorCode =
  'VALIDATION' | 'BACKEND_UNAVAILABLE' | 'CONSERVATION_CONTRACT' | 'SIMULATION_DIVERGED' | 'SNAPSHOT' | 'ABORTED' | 'BACKEND_FAILURE';

export abstract class BrokenRecordError extends Error {
  abstract readonly code: ErrorCode;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input, rejected before any backend sees it; the state is left untouched. */
export class ValidationError extends BrokenRecordError {
  readonly code = 'VALIDATION' as const;
  /** Which input was wrong, e.g. `state.mass[3]`, `dt`, `uniformGravity.g`. */
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

export interface BackendReason {
  name: string;
  reason: string;
}

/** The requested backend (or every candidate for `auto`) cannot run here; `reasons` says why for each. */
export class BackendUnavailableError extends BrokenRecordError {
  readonly code = 'BACKEND_UNAVAILABLE' as const;
  readonly reasons: readonly BackendReason[];
  constructor(message: string, reasons: readonly BackendReason[]) {
    const detail = reasons.map((r) => `  - ${r.name}: ${r.reason}`).join('\n');
    super(detail ? `${message}\n${detail}` : message);
    this.reasons = reasons;
  }
}

/** A system declared that it conserves a quantity that one of its rules breaks. */
export class ConservationContractError extends BrokenRecordError {
  readonly code = 'CONSERVATION_CONTRACT' as const;
  readonly rule: string;
  readonly quantity: string;
  constructor(rule: string, quantity: string, message?: string) {
    super(message ?? `rule '${rule}' does not conserve ${quantity}, which the system declares as conserved`);
    this.rule = rule;
    this.quantity = quantity;
  }
}

/**
 * A NaN or infinity appeared during `step`. `step` is the 1-based index (within the whole run) of the
 * first step that produced it, `particle` the first particle index holding a non-finite value; the
 * simulation state was rolled back to the end of step `step - 1`.
 */
export class SimulationDivergedError extends BrokenRecordError {
  readonly code = 'SIMULATION_DIVERGED' as const;
  readonly step: number;
  readonly particle: number;
  constructor(step: number, particle: number, detail = '') {
    super(
      `simulation diverged at step ${step}: particle ${particle} became non-finite${detail ? ` (${detail})` : ''}; ` +
        `state left at step ${step - 1}`,
    );
    this.step = step;
    this.particle = particle;
  }
}

/** Snapshot bytes that are corrupt, truncated, of an unknown version, or describe an invalid system. */
export class SnapshotError extends BrokenRecordError {
  readonly code = 'SNAPSHOT' as const;
}

/**
 * A `step(n, { signal })` call whose signal was aborted. The call stopped at a whole step: the
 * state is the one at the end of step `stoppedAt` (= `sim.steps`), of which `completed` were taken
 * by this call. `cause` is the signal's reason. Named `AbortError`, as aborted web APIs are.
 */
export class AbortError extends BrokenRecordError {
  readonly code = 'ABORTED' as const;
  readonly stoppedAt: number;
  readonly completed: number;
  constructor(stoppedAt: number, completed: number, reason?: unknown) {
    super(`step() aborted after ${completed} step(s) of this call; state left at step ${stoppedAt}`, { cause: reason });
    this.stoppedAt = stoppedAt;
    this.completed = completed;
  }
}

/**
 * A backend failed in a way no input check could foresee (a worker thread died, a GPU device was
 * lost, a generated kernel did not compile, freeing native memory failed). `backend` names it,
 * `operation` says what core asked of it, `cause` is the backend's own error. After a failed
 * step the state was rolled back to where the call began, when the backend still could.
 */
export class BackendError extends BrokenRecordError {
  readonly code = 'BACKEND_FAILURE' as const;
  readonly backend: string;
  readonly operation: string;
  constructor(backend: string, operation: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`backend '${backend}' failed during ${operation}: ${detail}`, { cause });
    this.backend = backend;
    this.operation = operation;
  }
}
