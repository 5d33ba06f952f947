/**
 * Unhandled promise rejections seen while `run` runs and a few event-loop turns after it: through
 * process 'unhandledRejection' in Node, the 'unhandledrejection' event in a browser page (the
 * suite also runs in Chromium).
 */
export async function unhandledRejectionsDuring(run: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const stop = watchUnhandledRejections(seen);
  try {
    await run();
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 1));
  } finally {
    stop();
  }
  return seen;
}

/** Starts pushing unhandled rejections into `seen`; returns the function that stops it. */
export function watchUnhandledRejections(seen: unknown[]): () => void {
  const proc = (globalThis as { process?: { on?: unknown; off?: unknown } }).process as
    | { on?: (event: string, fn: (reason: unknown) => void) => void; off?: (event: string, fn: (reason: unknown) => void) => void }
    | undefined;
  if (typeof proc?.on === 'function' && typeof proc.off === 'function') {
    const listener = (reason: unknown) => void seen.push(reason);
    proc.on('unhandledRejection', listener);
    return () => proc.off!('unhandledRejection', listener);
  }
  const target = globalThis as {
    addEventListener?: (t: string, fn: (e: { reason?: unknown }) => void) => void;
    removeEventListener?: (t: string, fn: (e: { reason?: unknown }) => void) => void;
  };
  if (typeof target.addEventListener !== 'function') return () => undefined;
  const listener = (event: { reason?: unknown }) => void seen.push(event.reason);
  target.addEventListener('unhandledrejection', listener);
  return () => target.removeEventListener?.('unhandledrejection', listener);
}
