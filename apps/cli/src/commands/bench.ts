import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';

/**
 * The harness lives in the repository's bench/ package, built to bench/dist/run.js; it is found
 * relative to this file (apps/cli/dist/commands/ → repository root). BROKENRECORD_BENCH_SCRIPT
 * points elsewhere, e.g. from a CLI installed outside the repository.
 */
export function benchScriptPath(): string {
  return process.env.BROKENRECORD_BENCH_SCRIPT || fileURLToPath(new URL('../../../../bench/dist/run.js', import.meta.url));
}

/** `brokenrecord bench [args]`: runs the harness with these arguments; its tables go straight to the terminal. */
export async function benchCommand(args: readonly string[]): Promise<number> {
  const script = benchScriptPath();
  if (!existsSync(script)) {
    if (!process.env.BROKENRECORD_BENCH_SCRIPT && !existsSync(fileURLToPath(new URL('../../../../pnpm-workspace.yaml', import.meta.url)))) {
      // An installed CLI: the harness (bench/, with its C references) is not published.
      throw new UserError(
        '`brokenrecord bench` needs the BrokenRecord repository: the benchmark harness and its C references live in its bench/ folder ' +
          'and are not published to npm. Clone the repository and run `pnpm install && pnpm bench`, ' +
          'or point BROKENRECORD_BENCH_SCRIPT at a built bench/dist/run.js.',
      );
    }
    throw new UserError(`the benchmark harness is not built (no ${script}); build it with: pnpm --filter @brokenrecord/bench build`);
  }
  const child = spawn(process.execPath, [script, ...args], { stdio: 'inherit' });
  // Ctrl-C reaches the child through the terminal's process group; the CLI just waits for its exit.
  const ignore = () => {};
  process.on('SIGINT', ignore);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
    });
  } finally {
    process.off('SIGINT', ignore);
  }
}
