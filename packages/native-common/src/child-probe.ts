import { execFile } from 'node:child_process';

export interface ChildProbeOptions {
  /** Extra environment of the child (merged over this process's). */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

/**
 * Runs `script` (CommonJS, `-e`) in a child Node process with `args` and parses the one JSON
 * value it prints. A native addon is loaded there first so that a missing library, a broken
 * binary, an illegal instruction or a crashing driver becomes a reason (the rejection's message)
 * instead of killing the calling process.
 */
export function probeInChild<T>(script: string, args: readonly string[], options: ChildProbeOptions = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', script, ...args],
      { timeout: options.timeoutMs ?? 60_000, maxBuffer: 1 << 20, env: { ...process.env, ...options.env } },
      (error, stdout, stderr) => {
        if (error) {
          const e = error as NodeJS.ErrnoException & { signal?: string | null };
          const how = e.signal
            ? `was killed by ${e.signal}${e.signal === 'SIGILL' ? ' (illegal instruction: this CPU lacks an instruction the addon used)' : ''}`
            : `failed (${e.message.split('\n')[0]})`;
          // The line that names the problem (a loader or sanitizer error), else the last lines.
          const lines = `${stderr}`
            .trim()
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean);
          const telling = lines.filter((l) => /error|undefined symbol|cannot open|illegal/i.test(l));
          const detail = (telling.length ? telling.slice(0, 2) : lines.slice(-3)).join(' ');
          reject(new Error(`loading the native addon in a child process ${how}${detail ? `: ${detail}` : ''}`));
          return;
        }
        try {
          resolve(JSON.parse(stdout) as T);
        } catch {
          reject(new Error(`the native addon's child process printed no result: ${stdout.slice(0, 200)}`));
        }
      },
    );
  });
}
