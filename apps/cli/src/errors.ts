import { BackendError, BackendUnavailableError, BrokenRecordError, SimulationDivergedError } from '@brokenrecord/core';

/** A mistake in how the command was called (unknown scenario, bad flag combination, unreadable file). */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** Exit statuses: scripts can tell a broken contract from a mistyped command from a bug. */
export const EXIT = {
  ok: 0,
  /** A declared quantity drifted past its tolerance, or the simulation diverged. */
  physicsFailed: 1,
  /** The command line, an input file or the machine cannot do what was asked. */
  usage: 2,
  /** A bug: an error nobody anticipated (sysexits' EX_SOFTWARE). */
  internal: 70,
} as const;

/** Errors from the file system that are the user's business (wrong path, no permission), not bugs. */
const FILE_ERROR_CODES = new Set(['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'EEXIST', 'EROFS', 'ENOSPC']);

/** Squeezes a (possibly multi-line) message onto one line so stderr stays one line per error. */
export function oneLine(message: string): string {
  return message
    .split('\n')
    .map((line) => line.trim().replace(/^- /, ''))
    .filter(Boolean)
    .join('; ');
}

/** The one line printed for an error, and the exit status that goes with it. */
export function describeError(error: unknown): { message: string; exitCode: number } {
  if (error instanceof UserError) return { message: oneLine(error.message), exitCode: EXIT.usage };
  if (error instanceof BackendUnavailableError) {
    // Core puts each backend's reason on its own line; here they share one, separated by semicolons.
    const head = error.message.split('\n')[0];
    const reasons = error.reasons.map((r) => `${r.name}: ${r.reason}`).join('; ');
    return { message: oneLine(reasons ? `${head} (${reasons})` : head), exitCode: EXIT.usage };
  }
  if (error instanceof SimulationDivergedError) return { message: oneLine(error.message), exitCode: EXIT.physicsFailed };
  // A backend that failed where it should not (a driver error, a bug in a kernel) is not the user's mistake.
  if (error instanceof BackendError) return { message: `backend failure: ${oneLine(error.message)}`, exitCode: EXIT.internal };
  if (error instanceof BrokenRecordError) return { message: oneLine(error.message), exitCode: EXIT.usage };
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && typeof code === 'string' && FILE_ERROR_CODES.has(code)) {
    return { message: oneLine(error.message), exitCode: EXIT.usage };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message: `internal error: ${oneLine(message)} (set BROKENRECORD_DEBUG=1 for the stack trace)`, exitCode: EXIT.internal };
}
