import cliProgress from 'cli-progress';

/** Steps done out of a run's total, drawn on stderr so stdout stays clean for pipes. */
export interface Progress {
  update(stepsDone: number): void;
  stop(): void;
}

const silent: Progress = { update() {}, stop() {} };

/**
 * `wanted` is the `--progress` / `--no-progress` flag; left unset, the bar is drawn only when stderr
 * is a terminal, so piping or redirecting output never fills a log with redraws.
 */
export function createProgress(wanted: boolean | undefined, label: string, totalSteps: number): Progress {
  const stream = process.stderr;
  if (!(wanted ?? stream.isTTY === true) || totalSteps === 0) return silent;
  const bar = new cliProgress.SingleBar({
    stream,
    format: `${label} [{bar}] {percentage}% | {value}/{total} steps | {rate} steps/s | ETA {eta_formatted}`,
    barsize: 30,
    // Forced on a non-terminal (`--progress` into a file): one plain line every few seconds.
    noTTYOutput: !stream.isTTY,
    notTTYSchedule: 2000,
    etaBuffer: 20,
  });
  const started = performance.now();
  bar.start(totalSteps, 0, { rate: '-' });
  return {
    update(stepsDone) {
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? Math.round(stepsDone / seconds).toLocaleString('en-US') : '-';
      bar.update(stepsDone, { rate });
    },
    stop() {
      bar.stop();
    },
  };
}
